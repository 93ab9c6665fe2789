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
 * end), so a parked candidate costs neither an upstream call nor an extra round trip. An admitted reservation is
 * ended by its {@link Admission}, exactly once. When Redis cannot be reached, reserve and parked throw
 * {@link QuotaUnavailableException} (fail-closed) or admit uncounted, with {@link Reservation#degraded()} true
 * (fail-open); a reservation given up on changes nothing, whenever its script runs.
 */
public interface QuotaStore {

    /**
     * Checks every rule of this account and model and either counts all of them, or changes nothing and says which
     * rule denied and when it frees up. One round trip. Rules of metric {@code credits} count at this price.
     */
    Reservation reserve(QuotaRequest request, CreditPrice price);

    /** {@link #reserve} without blocking the caller's thread: the reservation, or the failure, when decided. */
    java.util.concurrent.CompletableFuture<Reservation> reserveAsync(QuotaRequest request, CreditPrice price);

    /** Parks the account (model == null) or the account and model, keeping the later of two parkings. */
    void park(String account, String model, Parking parking);

    /** Whether the account, or the account and model, is parked now, and until when. */
    Optional<Parking> parked(String account, String model);

    /**
     * {@link #parked} of each account (model null) or account and model, in order, for a page of them; the Redis
     * store waits for one round trip for all of them.
     */
    default List<Optional<Parking>> parkedEach(List<Parked> asked) {
        return asked.stream().map(a -> parked(a.account(), a.model())).toList();
    }

    /** What {@link #parkedEach} reads: an account's own parking (model null), or an account's and model's. */
    record Parked(String account, String model) {
    }

    /**
     * Raises counters to what a provider reports as used, for answers that end no reservation. Rules are matched by
     * metric and window.
     */
    void correct(String account, String model, List<LimitRule> rules, ZoneId zone, List<ReportedRemaining> reported);

    /** How much of each rule is used now and when its window resets, for status; changes nothing. */
    List<RuleUsage> snapshot(String account, String model, List<LimitRule> rules, ZoneId zone);

    /**
     * {@link #snapshot} of each account and model, in order, for a choice among several accounts or a page of them;
     * the Redis store waits for one round trip for all of them.
     */
    default List<List<RuleUsage>> snapshotEach(List<Snapshot> asked) {
        return asked.stream().map(a -> snapshot(a.account(), a.model(), a.rules(), a.zone())).toList();
    }

    /** What {@link #snapshotEach} reads of one account and model. */
    record Snapshot(String account, String model, List<LimitRule> rules, ZoneId zone) {
    }

    /**
     * {@link #snapshotEach}, each with the account's latency moving average on the model ({@link QuotaKeys#latency},
     * in the account's slot) read in the same script: one round trip's wait for a choice that weighs both.
     */
    List<Standing> standingEach(List<Snapshot> asked);

    /** An account's standing on a model: its rules' usage, and its latency moving average when it has one. */
    record Standing(List<RuleUsage> usage, Optional<Double> latencyMs) {
    }

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
     * @param perChoice     output tokens wanted for each choice
     * @param leastPerChoice the least output per choice worth a call: below {@code perChoice}, the store may grant
     *                      less than wanted (down to this) where a token rule has no more room, and says how much
     *                      in {@link Reservation#grantedPerChoice()}; equal to it for a call whose output is fixed
     * @param choices       the request's {@code n}
     */
    record QuotaRequest(String account, String model, List<LimitRule> rules, ZoneId zone,
                        long inputTokens, long perChoice, long leastPerChoice, long choices) {

        public QuotaRequest {
            if (inputTokens < 0 || leastPerChoice < 0 || perChoice < leastPerChoice || choices < 1) {
                throw new IllegalArgumentException("token estimates must be zero or more, least at most wanted");
            }
        }

        /** A call whose output is fixed at {@code outputTokens}. */
        public QuotaRequest(String account, String model, List<LimitRule> rules, ZoneId zone, long inputTokens,
                            long outputTokens) {
            this(account, model, rules, zone, inputTokens, outputTokens, outputTokens, 1);
        }

        /** Output tokens of every choice together at {@code perChoice} each; an overflow is simply too many. */
        long output(long perChoice) {
            return perChoice > Long.MAX_VALUE / choices ? Long.MAX_VALUE : perChoice * choices;
        }
    }

    /**
     * Why an account or model is skipped, and until when.
     *
     * @param until  when it may be tried again
     * @param reason one line for people, never a key
     * @param kind   what kind of parking it is
     */
    record Parking(Instant until, String reason, ParkingKind kind) {

        /** Whether the provider refused the account's key (status shows the account as rejected). */
        public boolean keyRefused() {
            return kind == ParkingKind.CREDENTIALS_REJECTED;
        }
    }
}
