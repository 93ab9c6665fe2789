package dev.freeway.routing;

import dev.freeway.config.Account;
import dev.freeway.quota.Trail;
import dev.freeway.routing.strategy.AccountStrategies;
import dev.freeway.routing.strategy.Choice;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;

/**
 * Where a candidate's accounts meet their provider's {@link dev.freeway.routing.strategy.AccountStrategy}: the order
 * they are offered a request, and the strategy's hook once one served. A provider with one account needs neither.
 */
@ApplicationScoped
public class AccountOrder {

    private final AccountStrategies strategies;

    public AccountOrder(AccountStrategies strategies) {
        this.strategies = strategies;
    }

    public List<Account> order(Candidate candidate, RouteRequest request) {
        List<Account> accounts = candidate.provider().accounts();
        return accounts.size() < 2 ? accounts : strategies.of(candidate.provider()).order(choice(candidate, request));
    }

    /**
     * After an account served.
     *
     * @param position where it was in {@link #order}'s list
     * @param latency  the time to its answer, or to a stream's first event
     */
    public void served(Candidate candidate, RouteRequest request, Account account, int position, Duration latency) {
        if (candidate.provider().accounts().size() >= 2) {
            strategies.of(candidate.provider()).served(choice(candidate, request), account, position, latency);
        }
    }

    /**
     * What the provider's strategy keeps of a served call, for its settlement.
     *
     * @param answeredIn the time to the provider's answer, or to a stream's first event
     * @return null when it keeps nothing there
     */
    public Trail.Average settled(Candidate candidate, RouteRequest request, Account account, Duration answeredIn) {
        return candidate.provider().accounts().size() < 2 ? null
                : strategies.of(candidate.provider()).settled(choice(candidate, request), account, answeredIn);
    }

    private static Choice choice(Candidate candidate, RouteRequest request) {
        return new Choice(candidate.provider(), candidate.model(), candidate.spec(), request.task().key(),
                request::conversationKey);
    }
}
