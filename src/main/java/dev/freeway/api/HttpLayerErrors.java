package dev.freeway.api;

import dev.freeway.api.error.ApiError;
import dev.freeway.api.messages.AnthropicError;
import dev.freeway.api.messages.AnthropicErrors;
import dev.freeway.config.FreewayConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Errors the HTTP layer would answer with an empty body, or with Quarkus's own error page, answered in OpenAI's
 * shape instead wherever Freeway gets to write the body: a body declared larger than {@code freeway.api.max-body-size}
 * (refused from its Content-Length, before it is read), a request line longer than {@link #LONGEST_URI}, and any
 * failure of a route (a percent-encoding that does not decode, a body over the hard cap). What the HTTP codec refuses
 * before any route runs (a request line that is not HTTP, a Content-Length that is not a number, a request line
 * over {@code quarkus.http.limits.max-initial-line-length}) keeps its empty body: the README says so.
 */
@ApplicationScoped
public class HttpLayerErrors {

    private static final Logger LOG = Logger.getLogger(HttpLayerErrors.class);
    /** Longer request lines are refused here with a body; the codec's own limit is set above it. */
    static final int LONGEST_URI = 8192;
    /** Before the access filter: an oversized request is refused before anything else looks at it. */
    private static final int PRIORITY = 2000;

    private final long maxBody;

    public HttpLayerErrors(FreewayConfig config) {
        this.maxBody = config.api().maxBodySize().asLongValue();
    }

    void register(@Observes Filters filters) {
        filters.register(this::screen, PRIORITY);
    }

    void failures(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failed);
    }

    private void screen(RoutingContext context) {
        if (context.request().uri().length() > LONGEST_URI) {
            write(context, new ApiError(414, "invalid_request_error", "uri_too_long", null,
                    "The request line is longer than " + LONGEST_URI + " characters."));
            return;
        }
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredOver(length)) {
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            write(context, tooLarge(maxBody));
            return;
        }
        context.next();
    }

    private boolean declaredOver(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBody;
        } catch (NumberFormatException notANumber) {
            return false; // the codec refuses it
        }
    }

    private void failed(RoutingContext context) {
        if (context.response().headWritten()) {
            context.next();
            return;
        }
        int status = context.statusCode() < 400 ? 500 : context.statusCode();
        if (status >= 500) {
            LOG.error("Request failed in the HTTP layer", context.failure());
        }
        String type = status == 401 ? "authentication_error" : status >= 500 ? "server_error" : "invalid_request_error";
        String code = status == 413 ? "request_too_large" : status >= 500 ? "internal_error" : "invalid_request";
        String message = status == 413 ? "The request body is larger than this gateway accepts."
                : status >= 500 ? "Freeway failed while reading this request; the log has the details."
                : "The request could not be read (" + status + ").";
        write(context, new ApiError(status, type, code, null, message));
    }

    /** The 413 of a body over {@code freeway.api.max-body-size}, whether it declared its size or grew past it. */
    static ApiError tooLarge(long maxBody) {
        return new ApiError(413, "invalid_request_error", "request_too_large", null,
                "The request body is larger than this gateway accepts (" + maxBody + " bytes).");
    }

    /** The error as the door asked answers errors: Anthropic's shape under {@code /v1/messages}, else OpenAI's. */
    static Future<Void> write(RoutingContext context, ApiError error) {
        var response = context.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("x-should-retry", String.valueOf(error.retryable()));
        if (isAnthropic(context.normalizedPath())) {
            AnthropicError rendered = AnthropicErrors.render(error, null);
            rendered.headers().forEach(response::putHeader);
            return response.setStatusCode(rendered.status()).end(rendered.body().toString());
        }
        return response.setStatusCode(error.status()).end(new JsonObject(error.body()).encode());
    }

    /** Whether a path is the Anthropic Messages door's, whose clients read Anthropic's error shape. */
    static boolean isAnthropic(String path) {
        String routed = dev.freeway.security.AccessPolicy.routed(path).toLowerCase(java.util.Locale.ROOT);
        return routed.equals("/v1/messages") || routed.startsWith("/v1/messages/");
    }
}
