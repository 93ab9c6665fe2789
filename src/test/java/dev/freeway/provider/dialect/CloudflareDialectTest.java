package dev.freeway.provider.dialect;

import dev.freeway.provider.ErrorDialect.ProviderClock;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;
import org.junit.jupiter.api.Test;

import static dev.freeway.provider.dialect.Upstream.answer;
import static dev.freeway.provider.dialect.Upstream.assertKind;
import static dev.freeway.provider.dialect.Upstream.assertOutcome;
import static dev.freeway.provider.dialect.Upstream.at;
import static dev.freeway.provider.dialect.Upstream.clock;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CloudflareDialectTest {

    private static final ProviderClock CLOCK = clock("2026-10-01T22:15:00Z", Upstream.UTC);
    private final CloudflareDialect cloudflare = new CloudflareDialect();

    /** Cloudflare's v4 envelope with the code and message of providers.yaml cloudflare-workers-ai errorShapes. */
    private static String body(int code, String message) {
        return "{\"errors\":[{\"code\":" + code + ",\"message\":\"" + message + "\"}],\"success\":false,\"result\":null,\"messages\":[]}";
    }

    private Outcome classify(int status, String body) {
        return cloudflare.classify(answer(status, body), CLOCK);
    }

    @Test
    void cloudflare_3036_parks_the_account_until_utc_midnight() {
        Outcome o = classify(429, body(3036, "You have used up your daily free allocation of 10,000 neurons. Please upgrade to Cloudflare's Workers Paid plan if you would like to continue usage."));
        assertOutcome(o, Kind.EXHAUSTED, "day", Scope.ACCOUNT, at("2026-10-02T00:00:00Z"));
        assertEquals("3036", o.code());
    }

    @Test
    void cloudflare_3036_resets_at_utc_midnight_even_if_the_clock_zone_differs() {
        Outcome o = cloudflare.classify(answer(429, body(3036, "You have used up your daily free allocation of 10,000 neurons.")),
                clock("2026-10-01T22:15:00Z", Upstream.PACIFIC));
        assertEquals(at("2026-10-02T00:00:00Z"), o.until());
    }

    @Test
    void cloudflare_3040_out_of_capacity_is_transient() {
        assertKind(classify(429, body(3040, "No more data centers to forward the request to")), Kind.TRANSIENT);
    }

    @Test
    void cloudflare_request_too_large_is_a_client_error() {
        assertKind(classify(413, body(3006, "Request is too large")), Kind.CLIENT_ERROR);
        assertKind(classify(400, body(3006, "Request is too large")), Kind.CLIENT_ERROR);
    }

    @Test
    void cloudflare_timeout_is_transient() {
        assertKind(classify(408, body(3007, "Request timeout")), Kind.TRANSIENT);
        assertKind(classify(500, body(3007, "Request timeout")), Kind.TRANSIENT);
    }

    @Test
    void cloudflare_unknown_model_is_a_client_error() {
        assertKind(classify(400, body(5007, "No such model @cf/meta/llama-9 or task")), Kind.CLIENT_ERROR);
    }

    @Test
    void cloudflare_openai_style_errors_from_the_v1_endpoint_are_read_too() {
        assertKind(classify(401, "{\"error\":{\"message\":\"Authentication error\",\"code\":10000}}"), Kind.CREDENTIALS_REJECTED);
    }
}
