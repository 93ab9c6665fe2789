package dev.freeway.cache;

import dev.freeway.routing.Endpoint;
import dev.freeway.routing.RouteRequest;
import dev.freeway.routing.task.Task;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static dev.freeway.api.door.DoorFixtures.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only what would be answered the same is cached, and only whole answers are kept. */
class CacheabilityTest {

    private static final Cacheability DEFAULTS = new Cacheability(true, false);

    private static RouteRequest chat(String body) {
        return new RouteRequest(object(body), "auto", Task.SIMPLE, 5, 5, Set.of());
    }

    @Test
    void a_request_is_deterministic_with_temperature_zero_or_a_seed() {
        assertTrue(DEFAULTS.whyNot(chat("{\"temperature\":0,\"messages\":[]}")).isEmpty());
        assertTrue(DEFAULTS.whyNot(chat("{\"seed\":42,\"messages\":[]}")).isEmpty());
        assertTrue(DEFAULTS.whyNot(chat("{\"messages\":[]}")).orElseThrow().contains("not deterministic"));
        assertTrue(DEFAULTS.whyNot(chat("{\"temperature\":0.7,\"messages\":[]}")).isPresent());
        assertTrue(new Cacheability(false, false).whyNot(chat("{\"temperature\":0.7}")).isEmpty());
        assertTrue(DEFAULTS.whyNot(chat("{\"temperature\":0,\"logprobs\":true}")).orElseThrow().contains("logprobs"));
        assertTrue(DEFAULTS.whyNot(RouteRequest.embeddings(object("{\"input\":\"x\"}"), "m", 1,
                RouteRequest.Fit.ANY)).isEmpty(), "embeddings are always deterministic");
    }

    @Test
    void only_a_whole_answer_without_tool_calls_is_kept() {
        String whole = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
                + "\"finish_reason\":\"stop\"}]}";
        assertTrue(DEFAULTS.whyNotKept(Endpoint.CHAT_COMPLETIONS, object(whole), false).isEmpty());
        assertTrue(DEFAULTS.whyNotKept(Endpoint.CHAT_COMPLETIONS, object(whole), true).isEmpty(),
                "an answer that stopped by itself under quota's max_tokens is the whole answer");
        assertTrue(DEFAULTS.whyNotKept(Endpoint.CHAT_COMPLETIONS, object(whole.replace("\"stop\"", "\"length\"")),
                true).isPresent(), "an answer quota's max_tokens cut short is not the answer to the request");
        assertTrue(DEFAULTS.whyNotKept(Endpoint.CHAT_COMPLETIONS, object(whole.replace("\"stop\"", "\"length\"")),
                false).isEmpty(), "the client's own max_tokens is part of the key");
        assertTrue(DEFAULTS.whyNotKept(Endpoint.CHAT_COMPLETIONS,
                object(whole.replace("\"stop\"", "null")), false).isPresent());
        assertTrue(DEFAULTS.whyNotKept(Endpoint.CHAT_COMPLETIONS,
                object(whole.replace("\"stop\"", "\"content_filter\"")), false).isPresent());
        String calls = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
                + "\"finish_reason\":\"tool_calls\"}]}";
        assertTrue(DEFAULTS.whyNotKept(Endpoint.CHAT_COMPLETIONS, object(calls), false).orElseThrow()
                .contains("tools"));
        assertTrue(new Cacheability(true, true).whyNotKept(Endpoint.CHAT_COMPLETIONS, object(calls), false).isEmpty());
        assertEquals("no data in the answer", DEFAULTS.whyNotKept(Endpoint.EMBEDDINGS, object("{}"), false)
                .orElseThrow());
    }

    @Test
    void a_legacy_function_call_is_never_kept_even_with_tool_calls_on() {
        // a kept answer is replayed from its text and tool calls; a legacy function_call would be dropped
        String legacy = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                + "\"function_call\":{\"name\":\"f\",\"arguments\":\"{}\"}},\"finish_reason\":\"function_call\"}]}";
        assertTrue(new Cacheability(true, true).whyNotKept(Endpoint.CHAT_COMPLETIONS, object(legacy), false)
                .orElseThrow().contains("function_call"));
        String collected = legacy.replace(",\"function_call\":{\"name\":\"f\",\"arguments\":\"{}\"}", "");
        assertTrue(new Cacheability(true, true).whyNotKept(Endpoint.CHAT_COMPLETIONS, object(collected), false)
                .isPresent(), "a collected stream that lost the call still says function_call");
    }
}
