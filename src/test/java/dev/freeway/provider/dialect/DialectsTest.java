package dev.freeway.provider.dialect;

import dev.freeway.provider.FamilyDialect;
import dev.freeway.catalog.DialectName;
import dev.freeway.provider.ErrorDialect.ProviderClock;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.UpstreamAnswer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.freeway.provider.dialect.Upstream.answer;
import static dev.freeway.provider.dialect.Upstream.utcClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DialectsTest {

    private static final ProviderClock CLOCK = utcClock("2026-11-24T12:00:00Z");
    private static final List<String> GARBAGE = List.of("", "   ", "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>",
            "{\"error\":{\"message\":\"Rate limit reached for model `x` on tokens per day (TPD): Please try again in 6m",
            "{\"error\":", "[", "[]", "null", "true", "12", "\"oops\"", "{}", "{\"error\":{}}", "{\"error\":[]}",
            "{\"error\":{\"code\":{\"nested\":1},\"message\":[1,2],\"details\":\"not an array\",\"metadata\":\"x\"}}",
            "{\"errors\":[{\"code\":\"3036x\"}]}", "{\"error\":{\"code\":\"1308\",\"message\":\"reset at 9999-99-99 99:99:99\"}}",
            "{\"error\":{\"code\":429,\"message\":\"free-models-per-day\",\"metadata\":{\"headers\":{\"X-RateLimit-Reset\":\"soon\"}}}}",
            "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"forever\"},{\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":\"none\"}]}}",
            "\u0000\u00ff\ud83d", "data: {\"error\":{\"message\":\"x\"}}");
    private static final int[] STATUSES = {0, 200, 400, 401, 402, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504, 529};

    @Test
    void every_documented_name_has_its_family_dialect() {
        assertEquals(List.of("openai", "gemini", "groq", "zai", "dashscope", "moonshot", "huggingface", "openrouter",
                "cerebras", "cloudflare", "mistral"), DialectName.keys());
        assertInstanceOf(OpenAiDialect.class, Dialects.of(DialectName.OPENAI));
        assertInstanceOf(GeminiDialect.class, Dialects.of(DialectName.GEMINI));
        assertInstanceOf(DashScopeDialect.class, Dialects.of(DialectName.DASHSCOPE));
        assertInstanceOf(MistralDialect.class, Dialects.of(DialectName.MISTRAL));
    }

    /** The provider parses a whole answer once and hands the dialect the tree: that must classify as the text does. */
    @Test
    void a_completion_parsed_once_is_inspected_as_its_text_is() throws Exception {
        List<String> bodies = new java.util.ArrayList<>(GARBAGE.stream().filter(b -> b.startsWith("{")).toList());
        bodies.addAll(List.of(
                "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
                        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}",
                "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"\"},\"finish_reason\":\"content_filter\"}]}",
                "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"x\"},\"finish_reason\":\"network_error\"}]}",
                "{\"object\":\"error\",\"message\":\"upstream failed\",\"code\":500}",
                "{\"type\":\"error\",\"error\":{\"message\":\"Input data may contain inappropriate content.\","
                        + "\"code\":\"data_inspection_failed\"}}"));
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (DialectName name : DialectName.values()) {
            var dialect = Dialects.of(name);
            for (String body : bodies) {
                com.fasterxml.jackson.databind.JsonNode tree;
                try {
                    tree = json.readTree(body);
                } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
                    continue; // the provider answers a body it cannot parse as broken, before any dialect reads it
                }
                if (tree == null || !tree.isObject()) {
                    continue;
                }
                assertEquals(Inspected.of(dialect, body, CLOCK), dialect.inspect(tree, body, CLOCK), name + ": " + body);
            }
        }
    }

    @Test
    void names_are_matched_ignoring_case_and_blanks() {
        assertEquals(DialectName.GEMINI, DialectName.parse(" Gemini "));
        assertEquals(DialectName.DASHSCOPE, DialectName.parse("DASHSCOPE"));
    }

    @Test
    void an_unknown_name_is_refused_with_the_names_there_are() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DialectName.parse("anthropic"));
        assertTrue(e.getMessage().contains("anthropic") && e.getMessage().contains("openrouter"), e.getMessage());
    }

    @Test
    void no_dialect_throws_on_garbage_and_every_outcome_is_usable() {
        for (DialectName name : DialectName.values()) {
            FamilyDialect dialect = Dialects.of(name);
            for (int status : STATUSES) {
                for (String body : GARBAGE) {
                    UpstreamAnswer answer = answer(status, body, "retry-after", "x", "x-ratelimit-reset", "never");
                    Outcome o = dialect.classify(answer, CLOCK);
                    String where = name + " " + status + " " + body;
                    assertNotNull(o.kind(), where);
                    assertNotNull(o.reason(), where);
                    assertFalse(o.reason().isBlank(), where);
                    assertFalse(o.reason().contains("\n"), where);
                    assertEquals(status, o.status(), where);
                    assertNotNull(dialect.report(answer, CLOCK.now()), where);
                    assertNotNull(Inspected.of(dialect, body, CLOCK), where);
                }
            }
        }
    }

    @Test
    void a_null_body_and_headers_without_values_do_not_throw() {
        for (DialectName name : DialectName.values()) {
            UpstreamAnswer answer = new UpstreamAnswer(429, Map.of("retry-after", List.of()), null);
            assertEquals(Kind.TRANSIENT, Dialects.of(name).classify(answer, CLOCK).kind(), name.key());
        }
    }

    @Test
    void garbage_5xx_is_an_upstream_error_in_every_dialect() {
        for (DialectName name : DialectName.values()) {
            for (String body : List.of("", "<html><body>Bad Gateway</body></html>", "{\"error\":")) {
                assertEquals(Kind.UPSTREAM_ERROR, Dialects.of(name).classify(answer(502, body), CLOCK).kind(), name.key() + " " + body);
            }
        }
    }

    @Test
    void no_dialect_repeats_an_echoed_key() {
        String key = "sk-or-v1-d3adb33fd3adb33fd3adb33fd3adb33f";
        for (DialectName name : DialectName.values()) {
            for (int status : STATUSES) {
                String body = "{\"error\":{\"message\":\"Invalid key " + key + " (Authorization: Bearer " + key + ")\",\"code\":" + status + "}}";
                Outcome o = Dialects.of(name).classify(answer(status, body), CLOCK);
                assertFalse(o.reason().contains("d3adb33f"), name + " " + status + ": " + o.reason());
            }
        }
    }
}
