package dev.freeway.routing.strategy;

import dev.freeway.config.Account;
import dev.freeway.config.LoadBalancing;
import dev.freeway.quota.Trail;

import java.time.Duration;
import java.util.List;

/**
 * One way of sharing a provider's requests among its accounts: the order in which they are offered a request, and
 * what to remember once one served it. A strategy only orders; the quota engine's reserve still has the last word,
 * so no strategy sends a call to an account that has no room.
 *
 * <p>A new strategy is one class here, an {@code @ApplicationScoped} bean whose {@link #balancing()} is its new
 * {@link LoadBalancing} constant; what it remembers goes through {@code quota.SharedState} under a key named in
 * {@code quota.QuotaKeys}, or, when the key is in the serving account's own slot, with the call's settlement
 * ({@link #settled}), which costs no round trip. Routing asks a strategy only for providers with two or more accounts.
 */
public interface AccountStrategy {

    /** The configuration value this strategy carries out. */
    LoadBalancing balancing();

    /** The provider's accounts in the order they are offered this request. */
    List<Account> order(Choice choice);

    /**
     * After an account served the request.
     *
     * @param position where the account was in {@link #order}'s list (0: the first offered)
     * @param latency  the time to its answer, or to a stream's first event
     */
    default void served(Choice choice, Account account, int position, Duration latency) {
    }

    /**
     * What the strategy keeps of a served call in the serving account's own slot, written in the call's settlement
     * rather than in a round trip of its own.
     *
     * @param answeredIn the time to the provider's answer, or to a stream's first event
     * @return the sample to fold into an average, or null for none
     */
    default Trail.Average settled(Choice choice, Account account, Duration answeredIn) {
        return null;
    }
}
