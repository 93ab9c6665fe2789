package dev.freeway.api;

import dev.freeway.api.error.ApiError;
import dev.freeway.routing.RouteFailure;
import dev.freeway.routing.Skip;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Tells the client, in OpenAI's shape, why routing could not serve its request, and whether a retry can help. */
@Provider
public class RouteFailureMapper implements ExceptionMapper<RouteFailure> {

    /** Upstream trouble and an unreachable quota store are worth another try soon, not at once. */
    private static final long SOON = 2;

    private final ApiErrorMapper mapper = new ApiErrorMapper();
    private final Clock clock;

    public RouteFailureMapper(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Response toResponse(RouteFailure failure) {
        return mapper.toResponse(toApiError(failure));
    }

    ApiError toApiError(RouteFailure failure) {
        ApiError error = switch (failure.kind()) {
            case MODEL_NOT_FOUND -> ApiError.modelNotFound(failure.getMessage());
            case CLIENT_ERROR -> new ApiError(failure.status(), failure.status() == 403 ? "permission_error"
                    : "invalid_request_error", failure.code(), failure.param(), failure.getMessage());
            case CONTENT_FILTERED -> new ApiError(400, "invalid_request_error", "content_filter", "messages",
                    failure.getMessage());
            case NEVER_FITS -> new ApiError(400, "invalid_request_error", failure.code(), failure.param(),
                    failure.getMessage());
            case EXHAUSTED -> new ApiError(429, "rate_limit_error", failure.code(), null, failure.getMessage())
                    .retryAfter(secondsUntil(failure.retryAt()));
            case UPSTREAM_FAILED -> new ApiError(502, "server_error", failure.code(), null, failure.getMessage())
                    .retryAfter(SOON);
            case UPSTREAM_TIMEOUT -> new ApiError(504, "server_error", failure.code(), null, failure.getMessage())
                    .retryAfter(SOON);
            case UNAVAILABLE -> new ApiError(503, "server_error", failure.code(), null, failure.getMessage())
                    .retryAfter(SOON);
            case CREDENTIALS_REJECTED, NO_CANDIDATE -> new ApiError(503, "server_error", failure.code(), null,
                    failure.getMessage());
        };
        if (!failure.skipped().isEmpty()) {
            error.extra("candidates", candidates(failure.skipped()));
        }
        if (failure.retryAt() != null) {
            error.extra("retry_at", failure.retryAt().toString());
        }
        return error;
    }

    private long secondsUntil(Instant retryAt) {
        return Duration.between(clock.instant(), retryAt).toMillis() / 1000 + 1;
    }

    private static List<Map<String, Object>> candidates(List<Skip> skipped) {
        return skipped.stream().map(skip -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("candidate", skip.candidate());
            item.put("account", skip.account());
            item.put("why", skip.why().name().toLowerCase(Locale.ROOT));
            item.put("reason", skip.reason());
            item.put("until", skip.until() == null ? null : skip.until().toString());
            return item;
        }).toList();
    }
}
