package dev.freeway.provider.dialect;

import dev.freeway.provider.FamilyDialect;
import dev.freeway.catalog.DialectName;
import dev.freeway.provider.ErrorDialect.ProviderClock;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;
import org.junit.jupiter.api.Test;

import static dev.freeway.provider.dialect.Upstream.assertKind;
import static dev.freeway.provider.dialect.Upstream.assertOutcome;
import static dev.freeway.provider.dialect.Upstream.at;
import static dev.freeway.provider.dialect.Upstream.utcClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Signals in successful bodies and streams: content blocks, broken generations, error events under HTTP 200. */
class StreamSignalsTest {

    private static final ProviderClock CLOCK = utcClock("2026-11-24T12:00:00Z");

    @Test
    void openai_content_filter_with_no_content_is_content_filtered() {
        Outcome o = Inspected.of(Dialects.of(DialectName.OPENAI), "{\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null},\"finish_reason\":\"content_filter\"}]}", CLOCK);
        assertKind(o, Kind.CONTENT_FILTERED);
        assertEquals(200, o.status());
        assertEquals("content_filter", o.code());
    }

    @Test
    void content_filter_after_delivered_content_is_ok() {
        assertEquals(Outcome.OK, Inspected.of(Dialects.of(DialectName.OPENAI), "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Here is the first part\"},\"finish_reason\":\"content_filter\"}]}", CLOCK));
    }

    @Test
    void zai_sensitive_finish_reason_is_content_filtered_in_a_stream_chunk() {
        assertKind(Inspected.of(Dialects.of(DialectName.ZAI), "data: {\"id\":\"2025\",\"created\":1,\"model\":\"glm-4.7-flash\",\"choices\":[{\"index\":0,\"finish_reason\":\"sensitive\",\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}", CLOCK), Kind.CONTENT_FILTERED);
    }

    @Test
    void zai_network_error_finish_reason_is_the_providers_failure() {
        assertKind(Inspected.of(Dialects.of(DialectName.ZAI), "{\"choices\":[{\"index\":0,\"finish_reason\":\"network_error\",\"message\":{\"role\":\"assistant\",\"content\":\"partial\"}}]}", CLOCK), Kind.UPSTREAM_ERROR);
    }

    @Test
    void gemini_safety_finish_reasons_are_content_filtered() {
        FamilyDialect gemini = Dialects.of(DialectName.GEMINI);
        assertKind(Inspected.of(gemini, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\"},\"finish_reason\":\"SAFETY\"}]}", CLOCK), Kind.CONTENT_FILTERED);
        assertKind(Inspected.of(gemini, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"content_filter\"}]}", CLOCK), Kind.CONTENT_FILTERED);
        assertKind(Inspected.of(gemini, "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}", CLOCK), Kind.CONTENT_FILTERED);
        assertKind(Inspected.of(gemini, "{\"candidates\":[{\"finishReason\":\"PROHIBITED_CONTENT\",\"index\":0}]}", CLOCK), Kind.CONTENT_FILTERED);
    }

    @Test
    void ordinary_chunks_done_and_blank_payloads_are_ok() {
        FamilyDialect openai = Dialects.of(DialectName.OPENAI);
        assertEquals(Outcome.OK, Inspected.of(openai, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}", CLOCK));
        assertEquals(Outcome.OK, Inspected.of(openai, "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5}}", CLOCK));
        assertEquals(Outcome.OK, Inspected.of(openai, "data: [DONE]", CLOCK));
        assertEquals(Outcome.OK, Inspected.of(openai, "", CLOCK));
        assertEquals(Outcome.OK, Inspected.of(openai, null, CLOCK));
    }

    @Test
    void a_success_status_with_a_body_that_is_not_json_is_the_providers_failure() {
        assertKind(Inspected.of(Dialects.of(DialectName.OPENAI), "<html><body>Captive portal</body></html>", CLOCK), Kind.UPSTREAM_ERROR);
        assertKind(Inspected.of(Dialects.of(DialectName.OPENAI), "{\"choices\":[{\"delta\":", CLOCK), Kind.UPSTREAM_ERROR);
    }

    @Test
    void recognises_error_events_and_not_chunks() {
        assertTrue(StreamEvents.isErrorEvent("data: {\"error\":{\"code\":502,\"message\":\"Provider returned error\"}}"));
        assertTrue(StreamEvents.isErrorEvent("{\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"error\":{\"code\":\"server_error\",\"message\":\"Provider disconnected\"},\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}"));
        assertTrue(StreamEvents.isErrorEvent("{\"error\":\"upstream closed\"}"));
        assertTrue(StreamEvents.isErrorEvent("{\"object\":\"error\",\"message\":\"Capacity exceeded for this model.\",\"code\":\"3810\"}"));
        assertFalse(StreamEvents.isErrorEvent("data: {\"choices\":[{\"delta\":{\"content\":\"error\"}}]}"));
        assertFalse(StreamEvents.isErrorEvent("{\"error\":null,\"choices\":[]}"));
        assertFalse(StreamEvents.isErrorEvent("data: [DONE]"));
        assertFalse(StreamEvents.isErrorEvent(": OPENROUTER PROCESSING"));
        assertFalse(StreamEvents.isErrorEvent("{\"error\":{\"mess"));
        assertFalse(StreamEvents.isErrorEvent(null));
    }

    @Test
    void an_error_event_is_classified_by_the_dialect_with_status_200() {
        Outcome o = Inspected.of(Dialects.of(DialectName.OPENROUTER), "data: {\"error\":{\"message\":\"Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day\",\"code\":429,\"metadata\":{\"headers\":{\"X-RateLimit-Limit\":\"50\",\"X-RateLimit-Remaining\":\"0\",\"X-RateLimit-Reset\":\"1788825600000\"}}}}", CLOCK);
        assertOutcome(o, Kind.EXHAUSTED, "day", Scope.ACCOUNT, at("2026-09-08T00:00:00Z"));
        assertEquals(200, o.status());
    }

    @Test
    void dashscope_moderation_arriving_mid_stream_is_content_filtered() {
        FamilyDialect dashscope = Dialects.of(DialectName.DASHSCOPE);
        String event = "data: {\"error\":{\"code\":\"data_inspection_failed\",\"param\":null,\"message\":\"Output data may contain inappropriate content.\",\"type\":\"data_inspection_failed\"}}";
        assertTrue(dashscope.isErrorEvent(event));
        assertKind(Inspected.of(dashscope, event, CLOCK), Kind.CONTENT_FILTERED);
    }
}
