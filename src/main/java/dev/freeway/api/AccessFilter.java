package dev.freeway.api;

import dev.freeway.api.error.ApiError;
import dev.freeway.api.messages.AnthropicErrors;
import dev.freeway.security.AccessPolicy;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Applies the {@link AccessPolicy} to every HTTP request, as a Vert.x route filter: JAX-RS resources and the routes
 * Quarkus serves itself ({@code /q/metrics}) alike, before either sees the request. The policy decides; this door
 * answers a refusal as the API asked would: a 401 in OpenAI's error shape (Anthropic's on {@code /v1/messages}); a
 * browser asking for the dashboard gets the login form instead, with the same status.
 */
@ApplicationScoped
public class AccessFilter {

    private static final Logger LOG = Logger.getLogger(AccessFilter.class);
    /** Before Quarkus's own handlers and any other filter. */
    private static final int PRIORITY = 1000;

    private final AccessPolicy policy;
    private final Template login;

    public AccessFilter(AccessPolicy policy, @Location("login.html") Template login) {
        this.policy = policy;
        this.login = login;
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    void announce(@Observes StartupEvent started) {
        if (policy.openForDemo()) {
            LOG.warn("The demo runs on loopback and no admin key is set: /dashboard, /v1/status, /v1/capacity and"
                    + " /q/metrics are open to this machine. Set freeway.security.admin-key to lock them.");
        } else if (policy.adminOpen()) {
            LOG.warn("freeway.security.open-admin=true: /v1/status, /v1/capacity, /dashboard and /q/metrics are open"
                    + " to anyone who can reach this port. Use it on localhost only; set freeway.security.admin-key"
                    + " anywhere else.");
        } else if (!policy.adminKeyConfigured()) {
            LOG.info("Admin endpoints (/v1/status, /v1/capacity, /dashboard, /q/metrics) answer 401 until"
                    + " freeway.security.admin-key is set.");
        }
        if (policy.clientKeysConfigured()) {
            LOG.info("Chat and models need a client key (freeway.security.client-keys).");
        }
    }

    void filter(RoutingContext context) {
        AccessPolicy.Area area = AccessPolicy.areaOf(context.normalizedPath());
        Optional<String> refusal = policy.refusal(area, presented(context));
        if (refusal.isEmpty()) {
            context.next();
            return;
        }
        var response = context.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"freeway\"")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("x-should-retry", "false");
        if (area == AccessPolicy.Area.ADMIN && wantsPage(context)) {
            String page = login.data("message", refusal.get()).data("canLogIn", policy.adminKeyConfigured()).render();
            response.putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8").end(page);
            return;
        }
        ApiError error = new ApiError(401, "authentication_error", "invalid_api_key", null, refusal.get());
        Object body = HttpLayerErrors.isAnthropic(context.normalizedPath())
                ? AnthropicErrors.render(error, null).body() : error.body();
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(JsonObject.mapFrom(body).encode());
    }

    private AccessPolicy.Presented presented(RoutingContext context) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        // Anthropic's clients send their key as x-api-key: it counts as the bearer key.
        String bearer = context.request().getHeader("x-api-key");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            bearer = authorization.substring(7).trim();
        }
        Cookie cookie = context.request().getCookie(policy.cookieName());
        return new AccessPolicy.Presented(bearer, context.request().getHeader("x-freeway-admin-key"),
                cookie == null ? null : cookie.getValue());
    }

    /** A browser navigating to the dashboard: it is shown the login form rather than JSON. */
    private static boolean wantsPage(RoutingContext context) {
        String accept = context.request().getHeader(HttpHeaders.ACCEPT);
        return context.normalizedPath().toLowerCase(java.util.Locale.ROOT).startsWith("/dashboard")
                && accept != null && accept.contains("text/html");
    }
}
