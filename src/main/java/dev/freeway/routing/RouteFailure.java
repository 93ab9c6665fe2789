package dev.freeway.routing;

import java.time.Instant;
import java.util.List;

/**
 * A request routing could not serve, and what the client should be told.
 *
 * @param kind      which answer the client gets
 * @param message   one human line
 * @param code      provider or Freeway error code
 * @param status    for CLIENT_ERROR: the upstream status to pass on
 * @param retryAt   for EXHAUSTED: the earliest moment any candidate has room again
 * @param skipped   every candidate tried or skipped, and why
 */
public class RouteFailure extends RuntimeException {

    private final Kind kind;
    private final String code;
    private final int status;
    private final Instant retryAt;
    private final List<Skip> skipped;
    private String param;

    public RouteFailure(Kind kind, String message, String code, int status, Instant retryAt, List<Skip> skipped) {
        this(kind, message, code, status, retryAt, skipped, null);
    }

    /** @param cause what Freeway itself ran into (for its log; never shown to the client) */
    RouteFailure(Kind kind, String message, String code, int status, Instant retryAt, List<Skip> skipped,
                 Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.code = code;
        this.status = status;
        this.retryAt = retryAt;
        this.skipped = List.copyOf(skipped);
    }

    public static RouteFailure modelNotFound(String message) {
        return new RouteFailure(Kind.MODEL_NOT_FOUND, message, "model_not_found", 404, null, List.of());
    }

    /** The request field at fault, for a client's error. */
    RouteFailure param(String field) {
        this.param = field;
        return this;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public Instant retryAt() {
        return retryAt;
    }

    public List<Skip> skipped() {
        return skipped;
    }

    public String param() {
        return param;
    }

    /** The answers routing can end with, and whether the same request may succeed if sent again later. */
    public enum Kind {
        /** no configured provider serves the model (404) */
        MODEL_NOT_FOUND(false),
        /** the provider refused the request itself; passed on, never retried elsewhere (4xx) */
        CLIENT_ERROR(false),
        /** the provider's moderation refused the content (400 content_filter) */
        CONTENT_FILTERED(false),
        /** no candidate's limits could ever admit the request, however long one waits (400) */
        NEVER_FITS(false),
        /** every candidate is out of quota or rate-limited (429 with Retry-After) */
        EXHAUSTED(true),
        /** every candidate failed upstream (502), or timed out (504) */
        UPSTREAM_FAILED(true),
        UPSTREAM_TIMEOUT(true),
        /** every candidate's provider refused its account's key: a configuration mistake (503) */
        CREDENTIALS_REJECTED(false),
        /** the quota store is down in fail-closed mode, or every candidate's circuit is open (503) */
        UNAVAILABLE(true),
        /** no candidate could be tried at all: no accounts, nothing fits (503) */
        NO_CANDIDATE(false);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        /** Whether sending the same request again later can succeed (the x-should-retry header). */
        public boolean retryable() {
            return retryable;
        }
    }
}
