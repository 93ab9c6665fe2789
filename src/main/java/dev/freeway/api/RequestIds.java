package dev.freeway.api;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Gives every request an id, answered in {@code x-request-id} on every response (errors included) and kept in the
 * recent-requests list and in the log line of any failure, so a user can quote it: the client's own id when it
 * sent a usable one (printable, at most {@link #LONGEST} characters), else a new {@code req_} one.
 */
@ApplicationScoped
public class RequestIds {

    static final String HEADER = "x-request-id";
    static final int LONGEST = 128;
    /** First of all filters: every answer, even a refusal, carries the id. */
    private static final int PRIORITY = 3000;
    private static final SecureRandom RANDOM = new SecureRandom();

    void register(@Observes Filters filters) {
        filters.register(this::identify, PRIORITY);
    }

    private void identify(RoutingContext context) {
        String given = context.request().getHeader(HEADER);
        context.response().putHeader(HEADER, usable(given) ? given : fresh());
        context.next();
    }

    /** The id of the request this response answers. */
    static String of(HttpServerResponse response) {
        return response.headers().get(HEADER);
    }

    static boolean usable(String id) {
        return id != null && !id.isEmpty() && id.length() <= LONGEST && id.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private static String fresh() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "req_" + HexFormat.of().formatHex(bytes);
    }
}
