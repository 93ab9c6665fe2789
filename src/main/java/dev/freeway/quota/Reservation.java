package dev.freeway.quota;

import java.time.Instant;

/**
 * The answer to a reserve call: admitted, with the {@link Admission} that must end it, or denied, with why.
 *
 * @param admitted   whether every rule had room
 * @param id         unique id of this reservation (the concurrency lease member)
 * @param account    the account it was made for
 * @param model      the model it was made for
 * @param admission  for an admission: its one owner, to end exactly once; null for a denial
 * @param denial     for a denial: why; null for an admission
 * @param remaining  for an admission: remaining figures of the serving account, for x-ratelimit-* headers
 * @param grantedPerChoice for an admission: the output tokens per choice it counts (the wanted output, or less
 *                   where a token rule had no more room; see {@link QuotaStore.QuotaRequest#leastPerChoice()})
 */
public record Reservation(boolean admitted, String id, String account, String model, Admission admission,
                          Denial denial, Remaining remaining, long grantedPerChoice) {

    /** Whether this admission was made in fail-open mode while Redis was unreachable, so nothing was counted. */
    public boolean degraded() {
        return admission != null && admission.degraded();
    }

    /** For a denial: the identity of the rule that had no room, or {@code parked: <reason>}. */
    public String deniedBy() {
        return denial == null ? null : denial.rule();
    }

    /** For a denial: when there is room again (null when never, e.g. a spent grant). */
    public Instant retryAt() {
        return denial == null ? null : denial.retryAt();
    }

    /**
     * Why a reservation was denied.
     *
     * @param refusal  the kind of denial
     * @param rule     the rule's identity, or {@code parked: <reason>}
     * @param retryAt  when there is room again; null when never or unknown
     * @param parking  for {@link Refusal#PARKED}: the parking
     * @param needed   for {@link Refusal#NEVER_FITS}: what the call needed of the rule (0 for a grant that is over)
     * @param limit    for {@link Refusal#NEVER_FITS}: the rule's whole limit
     */
    public record Denial(Refusal refusal, String rule, Instant retryAt, QuotaStore.Parking parking, long needed,
                         long limit) {
    }

    /** Remaining requests and tokens in the tightest request and token rules, and when each resets. */
    public record Remaining(Long requests, Instant requestsReset, Long tokens, Instant tokensReset) {
        public static final Remaining UNKNOWN = new Remaining(null, null, null, null);
    }
}
