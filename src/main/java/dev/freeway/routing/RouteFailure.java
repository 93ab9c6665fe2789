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

    public RouteFailure(Kind kind, String message, String code, int status, Instant retryAt, List<Skip> skipped) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
        this.status = status;
        this.retryAt = retryAt;
        this.skipped = List.copyOf(skipped);
    }

    public static RouteFailure modelNotFound(String message) {
        return new RouteFailure(Kind.MODEL_NOT_FOUND, message, "model_not_found", 404, null, List.of());
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

    /** The answers routing can end with. */
    public enum Kind {
        /** no configured provider serves the model (404) */
        MODEL_NOT_FOUND,
        /** the provider refused the request itself; passed on, never retried elsewhere (4xx) */
        CLIENT_ERROR,
        /** the provider's moderation refused the content (400 content_filter) */
        CONTENT_FILTERED,
        /** every candidate is out of quota or rate-limited (429 with Retry-After) */
        EXHAUSTED,
        /** every candidate failed upstream (502), or timed out (504) */
        UPSTREAM_FAILED,
        UPSTREAM_TIMEOUT,
        /** nothing could even be tried: no accounts, or the quota store is down in fail-closed mode (503) */
        UNAVAILABLE
    }
}
