package dev.freeway.routing.strategy;

import dev.freeway.config.Account;
import dev.freeway.config.LoadBalancing;
import dev.freeway.quota.QuotaKeys;
import dev.freeway.quota.SharedState;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Accounts take turns, through a position in Redis shared by every instance: each request takes the next turn and
 * offers the accounts from that one on. When the turn's account has no room and a later one serves, the position
 * moves past the one that served, so the accounts with room share evenly instead of the next one taking every turn
 * of the full one.
 */
@ApplicationScoped
public class RoundRobinStrategy implements AccountStrategy {

    /** Positions outlive quiet days but not abandoned models. */
    static final Duration KEEP = Duration.ofDays(7);

    private final SharedState state;

    public RoundRobinStrategy(SharedState state) {
        this.state = state;
    }

    @Override
    public LoadBalancing balancing() {
        return LoadBalancing.ROUND_ROBIN;
    }

    @Override
    public List<Account> order(Choice choice) {
        long turn = state.add(QuotaKeys.rotation(choice.provider().name(), choice.model()), 1, KEEP).orElse(1);
        return fromTurn(choice.accounts(), turn);
    }

    /** The accounts from the one whose turn it is on ({@code turn} counted from 1), then the ones before it. */
    static List<Account> fromTurn(List<Account> accounts, long turn) {
        int start = (int) Math.floorMod(turn - 1, (long) accounts.size());
        List<Account> rotated = new ArrayList<>(accounts.subList(start, accounts.size()));
        rotated.addAll(accounts.subList(0, start));
        return rotated;
    }

    @Override
    public void served(Choice choice, Account account, int position, Duration latency) {
        if (position > 0) {
            // the next turn is the account after the one that served
            state.add(QuotaKeys.rotation(choice.provider().name(), choice.model()), position, KEEP);
        }
    }
}
