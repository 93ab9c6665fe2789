package dev.freeway.api.messages;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.ErrorResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.error.ApiError;
import dev.freeway.provider.Usage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.freeway.api.door.DoorFixtures.object;
import static dev.freeway.api.door.DoorFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessagesAnswersTest {

    private static final ObjectNode REQUEST = object("""
            {"model":"claude-sonnet-4-5","max_tokens":100,"stop_sequences":["END"],
             "messages":[{"role":"user","content":"hi"}]}""");

    static Message parsed(ObjectNode message) throws Exception {
        Message sdk = ObjectMappers.jsonMapper().readValue(text(message), Message.class);
        sdk.validate();
        return sdk;
    }

    @Test
    void a_text_answer_is_a_message_the_anthropic_sdk_reads_with_cache_reads_apart() throws Exception {
        ObjectNode message = MessagesAnswers.toMessage(object("""
                {"id":"chatcmpl-1","object":"chat.completion","model":"openai/gpt-oss-120b",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi! My name is Claude."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":2095,"completion_tokens":503,"total_tokens":2598,"prompt_tokens_details":{"cached_tokens":95}}}"""),
                REQUEST, Usage.NONE);

        Message sdk = parsed(message);
        assertTrue(sdk.id().startsWith("msg_"));
        assertEquals("Hi! My name is Claude.", sdk.content().get(0).asText().text());
        assertEquals(StopReason.END_TURN, sdk.stopReason().orElseThrow());
        assertEquals(2000, sdk.usage().inputTokens());
        assertEquals(95, sdk.usage().cacheReadInputTokens().orElseThrow());
        assertEquals(503, sdk.usage().outputTokens());
        assertEquals("openai/gpt-oss-120b", sdk.model().asString());
    }

    @Test
    void tool_calls_become_tool_use_blocks_with_parsed_input_and_stop_reason_tool_use() throws Exception {
        ObjectNode message = MessagesAnswers.toMessage(object("""
                {"model":"m","choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant",
                  "content":"I'll check.","tool_calls":[
                   {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"SF\\"}"}},
                   {"id":"","type":"function","function":{"name":"broken","arguments":"{not json"}}]}}]}"""),
                REQUEST, new Usage(30, 10));

        Message sdk = parsed(message);
        assertEquals(3, sdk.content().size());
        var weather = sdk.content().get(1).asToolUse();
        assertEquals("call_1", weather.id());
        assertEquals("get_weather", weather.name());
        assertEquals("SF", message.at("/content/1/input/location").asText());
        assertTrue(sdk.content().get(2).asToolUse().id().startsWith("toolu_"));
        assertEquals("{not json", message.at("/content/2/input/_raw_arguments").asText());
        assertEquals(StopReason.TOOL_USE, sdk.stopReason().orElseThrow());
        assertEquals(30, sdk.usage().inputTokens(), "the estimate when the provider sent no usage");
    }

    @Test
    void a_tool_call_cut_off_by_the_length_limit_is_max_tokens_not_a_tool_use_to_run() throws Exception {
        ObjectNode message = MessagesAnswers.toMessage(object("""
                {"model":"m","choices":[{"index":0,"finish_reason":"length","message":{"role":"assistant",
                  "content":null,"tool_calls":[
                   {"id":"call_1","type":"function","function":{"name":"write_file","arguments":"{\\"path\\":\\"a.py\\",\\"content\\":\\"def f("}}]}}]}"""),
                REQUEST, new Usage(30, 100));

        assertEquals(StopReason.MAX_TOKENS, parsed(message).stopReason().orElseThrow());
    }

    @Test
    void length_is_max_tokens_a_filter_is_refusal_and_a_named_stop_is_stop_sequence() throws Exception {
        assertEquals(StopReason.MAX_TOKENS, parsed(answer("\"finish_reason\":\"length\"")).stopReason().orElseThrow());
        assertEquals(StopReason.REFUSAL, parsed(answer("\"finish_reason\":\"content_filter\"")).stopReason()
                .orElseThrow());
        assertEquals(StopReason.REFUSAL, parsed(answer("\"finish_reason\":\"sensitive\"")).stopReason()
                .orElseThrow(), "Z.AI's moderation stop");
        Message stopped = parsed(answer("\"finish_reason\":\"stop\",\"stop_reason\":\"END\""));
        assertEquals(StopReason.STOP_SEQUENCE, stopped.stopReason().orElseThrow());
        assertEquals("END", stopped.stopSequence().orElseThrow());
    }

    private static ObjectNode answer(String finish) {
        return MessagesAnswers.toMessage(object("""
                {"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"x"},%s}]}""".formatted(finish)),
                REQUEST, Usage.NONE);
    }

    @Test
    void errors_take_anthropics_shape_and_the_statuses_its_sdk_maps() throws Exception {
        ApiError exhausted = new ApiError(429, "rate_limit_exceeded", "rate_limit_exceeded", null,
                "Every candidate is exhausted.").header("Retry-After", "42").extra("candidates", List.of("groq"));
        AnthropicError limited = AnthropicErrors.render(exhausted, "req_1");
        assertEquals(429, limited.status());
        assertEquals("42", limited.headers().get("retry-after"));
        ErrorResponse sdk = ObjectMappers.jsonMapper().readValue(text(limited.body()), ErrorResponse.class);
        sdk.validate();
        assertTrue(sdk.error().isRateLimitError());
        assertEquals("Every candidate is exhausted.", sdk.error().asRateLimitError().message());
        assertEquals("req_1", sdk.requestId().orElseThrow());
        assertEquals("groq", limited.body().at("/error/candidates/0").asText());

        assertRendered(400, 400, "invalid_request_error");
        assertRendered(401, 401, "authentication_error");
        assertRendered(403, 403, "permission_error");
        assertRendered(404, 404, "not_found_error");
        assertRendered(413, 413, "request_too_large");
        assertRendered(503, 529, "overloaded_error");
        assertRendered(502, 500, "api_error");
        assertRendered(504, 500, "api_error");
        assertRendered(500, 500, "api_error");
        assertRendered(422, 400, "invalid_request_error");
        assertTrue(ObjectMappers.jsonMapper().readValue(text(AnthropicErrors.render(new ApiError(503, "server_error",
                "exhausted", null, "busy"), null).body()), ErrorResponse.class).error().isOverloadedError());
    }

    private static void assertRendered(int openAiStatus, int status, String type) {
        AnthropicError error = AnthropicErrors.render(new ApiError(openAiStatus, "x", null, null, "why"), null);
        assertEquals(status, error.status(), "status for " + openAiStatus);
        assertEquals("error", error.body().get("type").asText());
        assertEquals(type, error.body().at("/error/type").asText(), "type for " + openAiStatus);
        assertEquals("why", error.body().at("/error/message").asText());
    }
}
