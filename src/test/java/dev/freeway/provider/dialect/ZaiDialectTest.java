package dev.freeway.provider.dialect;

import dev.freeway.provider.ErrorDialect.ProviderClock;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;

import static dev.freeway.provider.dialect.Upstream.answer;
import static dev.freeway.provider.dialect.Upstream.assertKind;
import static dev.freeway.provider.dialect.Upstream.assertOutcome;
import static dev.freeway.provider.dialect.Upstream.at;
import static dev.freeway.provider.dialect.Upstream.utcClock;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ZaiDialectTest {

    private static final ProviderClock CLOCK = utcClock("2026-09-08T20:00:00Z");
    private final ZaiDialect zai = new ZaiDialect();

    private static String body(String code, String message) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
    }

    private Outcome classify(int status, String body) {
        return zai.classify(answer(status, body), CLOCK);
    }

    @Test
    void zai_auth_codes_reject_the_credential() {
        // providers.yaml zai errorShapes.auth and its otherCodes
        assertKind(classify(401, "{\"error\":{\"code\":\"1001\",\"message\":\"Authentication parameter not received in Header, unable to authenticate\"}}"), Kind.CREDENTIALS_REJECTED);
        assertKind(classify(401, body("1000", "Authentication Failed")), Kind.CREDENTIALS_REJECTED);
        assertKind(classify(401, body("1002", "Invalid Authentication Token, please confirm the correct transmission of the Authentication Token")), Kind.CREDENTIALS_REJECTED);
        assertKind(classify(401, body("1003", "Authentication Token expired, please regenerate/obtain")), Kind.CREDENTIALS_REJECTED);
    }

    @Test
    void zai_1302_rate_limit_waits_a_short_default() {
        Outcome o = classify(429, body("1302", "Rate limit reached for requests"));
        assertOutcome(o, Kind.TRANSIENT, null, Scope.MODEL, at("2026-09-08T20:00:05Z"));
        assertEquals("1302", o.code());
        assertOutcome(classify(429, body("1302", "High concurrency usage of this API, please reduce concurrency or contact customer service to increase limits")),
                Kind.TRANSIENT, null, Scope.MODEL, at("2026-09-08T20:00:05Z"));
    }

    @Test
    void zai_1305_overload_waits_longer_than_a_rate_limit() {
        assertOutcome(classify(429, body("1305", "The service may be temporarily overloaded, please try again later")),
                Kind.TRANSIENT, null, Scope.MODEL, at("2026-09-08T20:00:30Z"));
    }

    @Test
    void zai_waits_are_configurable() {
        ZaiDialect tuned = new ZaiDialect(Duration.ofSeconds(2), Duration.ofSeconds(9), ZoneOffset.UTC);
        assertEquals(at("2026-09-08T20:00:02Z"), tuned.classify(answer(429, body("1302", "Rate limit reached for requests")), CLOCK).until());
        assertEquals(at("2026-09-08T20:00:09Z"), tuned.classify(answer(429, body("1305", "overloaded")), CLOCK).until());
    }

    @Test
    void zai_1113_parks_the_account_for_credits_with_no_known_end() {
        assertOutcome(classify(429, body("1113", "Insufficient balance or no resource package. Please recharge.")),
                Kind.EXHAUSTED, "credits", Scope.ACCOUNT, null);
    }

    @Test
    void zai_coding_plan_window_parks_the_account_until_the_beijing_reset_time_in_the_message() {
        assertOutcome(classify(429, body("1308", "Usage limit reached for 5 hour. Your limit will reset at 2026-09-09 05:38:28")),
                Kind.EXHAUSTED, "rolling", Scope.ACCOUNT, at("2026-09-08T21:38:28Z"));
        assertOutcome(classify(429, body("1310", "[1310][Weekly/Monthly Limit Exhausted. Your limit will reset at 2026-09-14 07:49:08]")),
                Kind.EXHAUSTED, "rolling", Scope.ACCOUNT, at("2026-09-13T23:49:08Z"));
    }

    @Test
    void zai_coding_plan_window_without_a_time_has_no_until() {
        assertOutcome(classify(429, body("1316", "Usage limit reached")), Kind.EXHAUSTED, "rolling", Scope.ACCOUNT, null);
        assertOutcome(classify(429, body("1317", "")), Kind.EXHAUSTED, "rolling", Scope.ACCOUNT, null);
    }

    @Test
    void zai_1301_is_content_filtered() {
        assertKind(classify(400, body("1301", "System detected potentially unsafe or sensitive content in input or generation. Please avoid using prompts that may generate sensitive content. Thank you for your cooperation.")), Kind.CONTENT_FILTERED);
    }

    @Test
    void zai_1211_unknown_model_is_a_client_error() {
        assertKind(classify(400, body("1211", "Unknown Model, please check the model code.")), Kind.CLIENT_ERROR);
    }

    @Test
    void zai_numeric_code_is_read_like_the_string_code() {
        assertKind(classify(429, "{\"error\":{\"code\":1113,\"message\":\"Insufficient balance or no resource package. Please recharge.\"}}"), Kind.EXHAUSTED);
    }

    @Test
    void zai_unknown_code_falls_back_to_the_status() {
        assertKind(classify(400, body("1214", "Invalid messages parameter. Please check the documentation")), Kind.CLIENT_ERROR);
        assertKind(classify(500, body("500", "Internal Error")), Kind.UPSTREAM_ERROR);
    }
}
