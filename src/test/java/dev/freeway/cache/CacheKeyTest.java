package dev.freeway.cache;

import dev.freeway.config.Pool;
import dev.freeway.config.RoutingSettings;
import dev.freeway.routing.Endpoint;
import dev.freeway.routing.RouteRequest;
import dev.freeway.routing.task.Task;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.freeway.api.door.DoorFixtures.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The key is everything that decides the answer, and nothing else. */
class CacheKeyTest {

    private static final Pool POOL = new Pool(Map.of(), Map.of("gpt-4o", "groq/openai/gpt-oss-120b"),
            RoutingSettings.NONE, List.of());
    private static final String BASE = """
            {"model":"groq/openai/gpt-oss-120b","temperature":0,"max_tokens":50,
             "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}""";

    private static String key(String body) {
        return key(body, Task.SIMPLE, Endpoint.CHAT_COMPLETIONS);
    }

    private static String key(String body, Task task, Endpoint endpoint) {
        var request = object(body);
        return CacheKey.of(new RouteRequest(request, request.get("model").asText(), task, 10, 50, Set.of())
                .through(endpoint), POOL);
    }

    @Test
    void field_order_and_number_spelling_do_not_change_the_key() {
        String reordered = """
                {"messages":[{"content":"Be brief.","role":"system"},{"content":"Hi","role":"user"}],
                 "max_tokens":50.0,"temperature":0.0,"model":"groq/openai/gpt-oss-120b"}""";
        assertEquals(key(BASE), key(reordered));
        assertEquals(64, key(BASE).length());
    }

    @Test
    void the_form_and_bookkeeping_fields_are_not_part_of_the_key() {
        String streamed = BASE.replace("\"temperature\":0,", "\"temperature\":0,\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"user\":\"u-1\",\"metadata\":{\"a\":\"b\"},");
        assertEquals(key(BASE), key(streamed), "a kept answer serves a stream and a whole answer alike");
    }

    @Test
    void an_alias_shares_the_answers_of_what_it_stands_for() {
        assertEquals(key(BASE), key(BASE.replace("groq/openai/gpt-oss-120b", "gpt-4o")));
        assertNotEquals(key(BASE), key(BASE.replace("groq/openai/gpt-oss-120b", "groq/openai/gpt-oss-20b")));
    }

    @Test
    void everything_that_decides_the_answer_changes_the_key() {
        String base = key(BASE);
        for (String changed : new String[]{
                BASE.replace("\"Hi\"", "\"Hi!\""),
                BASE.replace("\"Be brief.\"", "\"Be long.\""),
                BASE.replace("\"temperature\":0", "\"temperature\":0.1"),
                BASE.replace("\"max_tokens\":50", "\"max_tokens\":51"),
                BASE.replace("\"max_tokens\":50", "\"max_tokens\":50,\"seed\":7"),
                BASE.replace("\"max_tokens\":50", "\"max_tokens\":50,\"n\":2"),
                BASE.replace("\"max_tokens\":50", "\"max_tokens\":50,\"stop\":[\"\\n\"]"),
                BASE.replace("\"max_tokens\":50", "\"max_tokens\":50,\"response_format\":{\"type\":\"json_object\"}"),
                BASE.replace("\"max_tokens\":50", "\"max_tokens\":50,\"tools\":[{\"type\":\"function\","
                        + "\"function\":{\"name\":\"f\"}}],\"tool_choice\":\"auto\"")}) {
            assertNotEquals(base, key(changed), changed);
        }
        assertNotEquals(base, key(BASE, Task.CODING, Endpoint.CHAT_COMPLETIONS), "the task picks auto's models");
        assertNotEquals(base, key(BASE, Task.SIMPLE, Endpoint.MESSAGES), "each door keeps its own answers");
    }

    @Test
    void the_canonical_form_sorts_fields_at_every_depth_and_keeps_array_order() {
        assertEquals("{\"a\":[2,1,{\"x\":true,\"y\":null}],\"b\":\"\\\"q\\\"\"}",
                CacheKey.canonical(object("{\"b\":\"\\\"q\\\"\",\"a\":[2,1.0,{\"y\":null,\"x\":true}]}")));
        assertTrue(CacheKey.canonical(object("{\"t\":1e-2}")).contains("0.01"));
        assertFalse(key(BASE).contains("Hi"));
    }
}
