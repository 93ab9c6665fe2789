package dev.freeway.provider;

import java.time.Instant;

/**
 * What a provider's answer means for routing.
 *
 * @param kind    the class of outcome
 * @param reason  one line for people and for the skipped-candidates list; never contains a key
 * @param until   for EXHAUSTED and TRANSIENT: when the provider says there is room again; null when it did not say
 * @param window  for EXHAUSTED: which window ran out (minute, hour, day, month, grant, credits); null otherwise
 * @param scope   whether the limit hit is the account's as a whole or the account's for this model
 * @param status  the upstream HTTP status (200 for errors that arrived inside a stream), 0 when none was received
 * @param code    the provider's own error code or type, when it sent one
 */
public record Outcome(Kind kind, String reason, Instant until, String window, Scope scope, int status, String code) {

    public static final Outcome OK = new Outcome(Kind.OK, "ok", null, null, Scope.MODEL, 200, null);

    public static Outcome of(Kind kind, int status, String code, String reason) {
        return new Outcome(kind, reason, null, null, Scope.MODEL, status, code);
    }

    public Outcome until(Instant when) {
        return new Outcome(kind, reason, when, window, scope, status, code);
    }

    public Outcome window(String which) {
        return new Outcome(kind, reason, until, which, scope, status, code);
    }

    public Outcome scope(Scope which) {
        return new Outcome(kind, reason, until, window, which, status, code);
    }

    public boolean ok() {
        return kind == Kind.OK;
    }

    /** The classes every provider's answers fall into. */
    public enum Kind {
        OK,
        /** a quota ran out: park the account (or account and model) until the window resets */
        EXHAUSTED,
        /** rate-limited or overloaded for a moment: retry after {@code until}, elsewhere meanwhile */
        TRANSIENT,
        /** the prompt does not fit this model: try one with a larger window */
        CONTEXT_TOO_LONG,
        /** the provider's moderation refused the content: the client's problem, no fallback */
        CONTENT_FILTERED,
        /** the key was refused: mark the account and move on */
        CREDENTIALS_REJECTED,
        /** the request itself is wrong: answer the client, no fallback */
        CLIENT_ERROR,
        /** the provider failed (5xx, bad body, reset connection): move on */
        UPSTREAM_ERROR;

        /** Whether another candidate may be tried after this outcome. */
        public boolean movesOn() {
            return this == EXHAUSTED || this == TRANSIENT || this == CONTEXT_TOO_LONG
                    || this == CREDENTIALS_REJECTED || this == UPSTREAM_ERROR;
        }
    }

    /** Whose limit an EXHAUSTED or TRANSIENT outcome is about. */
    public enum Scope {
        ACCOUNT, MODEL
    }
}
