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
 * on its new account. New conversations take turns as under round robin; a conversation already stuck takes
 * none, so a long one does not skew where the new ones go. Reading the conversation's account and, for a new one,
 * taking the turn and sticking it to its turn's account are one round trip, so a request served where its
 * conversation sticks writes nothing more. Requests without a conversation (embeddings) take turns as under round
 * robin.
 */
@ApplicationScoped
public class StickyStrategy implements AccountStrategy {

    private final SharedState state;
    private final Duration stickFor;
    /** For requests without a conversation (embeddings): nothing to keep together, so they take turns. */
    private final RoundRobinStrategy turns;

    public StickyStrategy(SharedState state, Pool pool) {
        this.state = state;
        this.stickFor = pool.routing().stickyFor();
        this.turns = new RoundRobinStrategy(state);
    }

    @Override
    public LoadBalancing balancing() {
        return LoadBalancing.STICKY;
    }

    @Override
    public List<Account> order(Choice choice) {
        String conversation = choice.conversation().get();
        if (conversation == null) {
            return turns.order(choice);
        }
        List<Account> accounts = choice.accounts();
        Optional<SharedState.StickyTurn> turn = state.stickyTurn(
                QuotaKeys.rotation(choice.provider().name(), choice.model()),
                QuotaKeys.stickiness(choice.provider().name(), conversation), RoundRobinStrategy.KEEP,
                stickFor, accounts.stream().map(Account::id).toList());
        List<Account> ordered = RoundRobinStrategy.fromTurn(accounts, turn.map(SharedState.StickyTurn::turn).orElse(1L));
        turn.flatMap(stuck -> ordered.stream().filter(a -> a.id().equals(stuck.account())).findFirst())
                .ifPresent(account -> {
                    ordered.remove(account);
                    ordered.add(0, account);
                });
        return ordered;
    }

    @Override
    public void served(Choice choice, Account account, int position, Duration latency) {
        if (position == 0) {
            return; // served where it sticks (or, without a conversation, where its turn was): nothing moves
        }
        String conversation = choice.conversation().get();
        if (conversation == null) {
            turns.served(choice, account, position, latency);
            return;
        }
        // the account it sticks to (always offered first) had no room: it moves on, and stays
        state.stickyMove(QuotaKeys.rotation(choice.provider().name(), choice.model()),
                QuotaKeys.stickiness(choice.provider().name(), conversation), account.id(), stickFor, position,
                RoundRobinStrategy.KEEP);
    }
}
