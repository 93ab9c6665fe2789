package dev.freeway.routing;

import java.time.Instant;

/**
 * Why a candidate (and account) did not serve a request.
 *
 * @param candidate provider/model
 * @param account   the account id, or null when the whole candidate was skipped
 * @param why       the kind of reason, for answers and counts that must not read free text
 * @param reason    one line, never a key
 * @param until     when it has room again, when known
 */
public record Skip(String candidate, String account, Why why, String reason, Instant until) {

    /** A candidate the plan left out (context window, capability, preservation, schedule, circuit). */
    public Skip(String candidate, String account, String reason, Instant until) {
        this(candidate, account, Why.UNFIT, reason, until);
    }

    /** The kinds of reason. */
    public enum Why {
        /** left out by the plan before any account was tried */
        UNFIT,
        /** a limit rule had no room now */
        NO_ROOM,
        /** no window of a rule could ever hold the request */
        NEVER_FITS,
        /** parked after the provider said it was exhausted or rate-limited */
        PARKED,
        /** the provider refused the account's key, now or when it was parked for it */
        KEY_REFUSED,
        /** the provider's circuit is open */
        CIRCUIT_OPEN,
        /** the provider answered that a limit ran out */
        EXHAUSTED,
        /** the provider answered "wait a moment" */
        RATE_LIMITED,
        /** the prompt did not fit the model */
        CONTEXT_TOO_LONG,
        /** the provider failed (5xx, broken body, reset, redirect) */
        FAILED,
        /** the provider did not answer in time */
        TIMED_OUT;

        /** Whether waiting can give this candidate room (so the pool's answer is a 429 with Retry-After). */
        boolean freesUp() {
            return this == NO_ROOM || this == PARKED || this == EXHAUSTED || this == RATE_LIMITED;
        }
    }
}
