package dev.freeway.quota;

import java.time.Instant;

/**
 * The answer to a reserve call: admitted (with what was counted, so it can be corrected or undone), or denied (with
 * the rule that denied and when it frees up).
 *
 * @param admitted   whether every rule had room
 * @param id         unique id of this reservation (the concurrency lease member)
 * @param account    the account it was made for
 * @param model      the model it was made for
 * @param handle     opaque data settle/release need (keys and amounts counted), owned by the store
 * @param deniedBy   for a denial: the identity of the rule that had no room
 * @param retryAt    for a denial: when that rule has room again (null when never, e.g. a spent grant)
 * @param remaining  for an admission: remaining figures of the serving account, for x-ratelimit-* headers
 */
public record Reservation(boolean admitted, String id, String account, String model, Object handle,
                          String deniedBy, Instant retryAt, Remaining remaining) {

    /** Whether this admission was made in fail-open mode while Redis was unreachable, so nothing was counted. */
    public boolean degraded() {
        return handle == Uncounted.HANDLE;
    }

    /** Remaining requests and tokens in the tightest request and token rules, and when each resets. */
    public record Remaining(Long requests, Instant requestsReset, Long tokens, Instant tokensReset) {
        public static final Remaining UNKNOWN = new Remaining(null, null, null, null);
    }
}
