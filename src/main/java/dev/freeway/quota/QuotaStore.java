package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Counts usage of every account's limit rules in Redis, atomically across any number of Freeway processes.
 * Each decision is one Lua script on keys of one account ({@code fw:{acct:<id>}:...}), so it runs on Redis Cluster.
 *
 * <p>Reserve also refuses a parked account or model (deniedBy {@code "parked: <reason>"}, retryAt the parking's
 * end), so a parked candidate costs neither an upstream call nor an extra round trip. When Redis cannot be reached,
 * reserve and parked throw {@link QuotaUnavailableException} (fail-closed) or admit uncounted, with
 * {@link Reservation#degraded()} true (fail-open); the writes after a call never throw.
 */
public interface QuotaStore {

    /**
     * Checks every rule of this account and model and either counts all of them, or changes nothing and says which
     * rule denied and when it frees up. One round trip.
     */
    Reservation reserve(QuotaRequest request);

    /**
     * Like {@link #reserve(QuotaRequest)}, and counts rules of metric {@code credits} at this price. A store that
     * counts no credits may ignore the price.
     */
    default Reservation reserve(QuotaRequest request, CreditPrice price) {
        return reserve(request);
    }

    /** Corrects the token counts of an admitted reservation to what was really used, and ends its lease. */
    void settle(Reservation reservation, long inputTokens, long outputTokens);

    /**
     * Settles, and in the same round trip lets what the provider reported about itself raise the counters of the
     * rules it describes (its figure wins where it shows more used than Freeway counted).
     */
    default void settle(Reservation reservation, long inputTokens, long outputTokens, List<ReportedRemaining> reported) {
        settle(reservation, inputTokens, outputTokens);
    }

    /** Undoes an admitted reservation the provider never processed. */
    void release(Reservation reservation);

    /** Parks the account (model == null) or the account and model until {@code until}, as the provider said. */
    void park(String account, String model, Instant until, String reason);

    /** Whether the account, or the account and model, is parked now, and until when. */
    Optional<Parking> parked(String account, String model);

    /**
     * Raises counters to what a provider reports as used, for answers that settle nothing (a 429 that carries
     * rate-limit headers). Rules are matched by metric and window.
     */
    void correct(String account, String model, List<LimitRule> rules, ZoneId zone, List<ReportedRemaining> reported);

    /** How much of each rule is used now and when its window resets, for status; changes nothing. */
    List<RuleUsage> snapshot(String account, String model, List<LimitRule> rules, ZoneId zone);

    /** Whether the last call to Redis failed: status and logs then say "degraded". */
    boolean degraded();

    /**
     * What one reservation asks for.
     *
     * @param account       globally unique account id, {@code <provider>:<account>}
     * @param model         the provider's model id
     * @param rules         every rule that applies (account-wide and per-model)
     * @param zone          the provider's reset time zone
     * @param inputTokens   estimated prompt tokens
     * @param outputTokens  requested (or default) max output tokens
     */
    record QuotaRequest(String account, String model, List<LimitRule> rules, ZoneId zone,
                        long inputTokens, long outputTokens) {
    }

    /** Why an account or model is skipped, and until when. */
    record Parking(Instant until, String reason) {
    }
}
