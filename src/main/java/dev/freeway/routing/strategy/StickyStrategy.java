package dev.freeway.routing.strategy;

import dev.freeway.config.Account;
import dev.freeway.config.LoadBalancing;
import dev.freeway.config.Pool;
import dev.freeway.quota.QuotaKeys;
import dev.freeway.quota.SharedState;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A conversation (a hash of its system prompt and first user message) keeps the account that served it while that
 * account has room, so the provider's prompt cache stays warm; once it is full the conversation moves on and stays
 * on its new account. New conversations take turns as under round robin.
 */
@ApplicationScoped
public class StickyStrategy implements AccountStrategy {

    private final RoundRobinStrategy turns;
    private final SharedState state;
    private final Duration stickFor;

    public StickyStrategy(RoundRobinStrategy turns, SharedState state, Pool pool) {
        this.turns = turns;
        this.state = state;
        this.stickFor = pool.routing().stickyFor();
    }

    @Override
    public LoadBalancing balancing() {
        return LoadBalancing.STICKY;
    }

    @Override
    public List<Account> order(Choice choice) {
        List<Account> ordered = turns.order(choice);
        Optional<String> stuck = state.read(key(choice));
        stuck.flatMap(id -> ordered.stream().filter(a -> a.id().equals(id)).findFirst()).ifPresent(account -> {
            ordered.remove(account);
            ordered.add(0, account);
        });
        return ordered;
    }

    @Override
    public void served(Choice choice, Account account, int position, Duration latency) {
        state.write(key(choice), account.id(), stickFor);
    }

    private static String key(Choice choice) {
        return QuotaKeys.stickiness(choice.provider().name(), choice.conversation().get());
    }
}
