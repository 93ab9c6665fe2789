package dev.freeway.api.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseOutputItem;
import dev.freeway.provider.Usage;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.freeway.api.door.DoorFixtures.object;
import static dev.freeway.api.door.DoorFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponsesAnswersTest {

    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    static Response parsed(ObjectNode response) throws Exception {
        Response parsed = ObjectMappers.jsonMapper().readValue(text(response), Response.class);
        parsed.validate();
        return parsed;
    }

    @Test
    void a_text_answer_is_a_completed_response_with_one_message_that_the_openai_sdk_reads() throws Exception {
        ObjectNode request = object("""
                {"model":"auto","instructions":"Be brief.","input":"Tell me a three sentence bedtime story about a unicorn.",
                 "metadata":{"session":"s1"},"temperature":0.5}""");
        ObjectNode response = ResponsesAnswers.toResponse(object("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1764000000,"model":"openai/gpt-oss-120b",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"In a peaceful grove beneath a silver moon..."},
                             "finish_reason":"stop"}],
                 "usage":{"prompt_tokens":36,"completion_tokens":87,"total_tokens":123,
                          "prompt_tokens_details":{"cached_tokens":12},"completion_tokens_details":{"reasoning_tokens":5}}}"""),
                ResponseEnvelope.of(request, NOW), new Usage(1, 1));

        Response sdk = parsed(response);
        assertTrue(sdk.id().startsWith("resp_"));
        assertEquals(NOW.getEpochSecond(), (long) sdk.createdAt());
        assertEquals(com.openai.models.responses.ResponseStatus.COMPLETED, sdk.status().orElseThrow());
        assertEquals("openai/gpt-oss-120b", sdk.model().asString());
        assertEquals("Be brief.", sdk.instructions().orElseThrow().asString());
        assertEquals(0.5, sdk.temperature().orElseThrow());
        ResponseOutputItem item = sdk.output().get(0);
        assertTrue(item.asMessage().id().startsWith("msg_"));
        assertEquals("In a peaceful grove beneath a silver moon...",
                item.asMessage().content().get(0).asOutputText().text());
        assertEquals(36, sdk.usage().orElseThrow().inputTokens());
        assertEquals(12, sdk.usage().orElseThrow().inputTokensDetails().cachedTokens());
        assertEquals(87, sdk.usage().orElseThrow().outputTokens());
        assertEquals(5, sdk.usage().orElseThrow().outputTokensDetails().reasoningTokens());
        assertEquals(123, sdk.usage().orElseThrow().totalTokens());
        assertEquals("s1", response.at("/metadata/session").asText());
    }

    @Test
    void tool_calls_become_function_call_items_with_the_providers_call_ids() throws Exception {
        ObjectNode request = object("""
                {"model":"auto","input":"Weather in Paris and Rome?",
                 "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}]}""");
        ObjectNode response = ResponsesAnswers.toResponse(object("""
                {"id":"chatcmpl-2","object":"chat.completion","created":1764000000,"model":"qwen-plus",
                 "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                   "tool_calls":[
                    {"id":"call_p","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"","type":"function","function":{"name":"get_weather","arguments":{"city":"Rome"}}}]}}],
                 "usage":{"prompt_tokens":50,"completion_tokens":20,"total_tokens":70}}"""),
                ResponseEnvelope.of(request, NOW), Usage.NONE);

        Response sdk = parsed(response);
        assertEquals(2, sdk.output().size(), "no empty message item beside the calls");
        var paris = sdk.output().get(0).asFunctionCall();
        assertTrue(paris.id().orElseThrow().startsWith("fc_"));
        assertEquals("call_p", paris.callId());
        assertEquals("get_weather", paris.name());
        assertEquals("{\"city\":\"Paris\"}", paris.arguments());
        var rome = sdk.output().get(1).asFunctionCall();
        assertTrue(rome.callId().startsWith("call_"), "an empty provider id is replaced");
        assertEquals("{\"city\":\"Rome\"}", rome.arguments(), "object arguments are written as JSON text");
        assertEquals("get_weather", sdk.tools().get(0).asFunction().name());
    }

    @Test
    void an_answer_cut_by_length_is_incomplete_for_max_output_tokens() throws Exception {
        ObjectNode response = ResponsesAnswers.toResponse(object("""
                {"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Once upon a"},
                 "finish_reason":"length"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}"""),
                ResponseEnvelope.of(object("{\"model\":\"auto\",\"input\":\"x\",\"max_output_tokens\":3}"), NOW),
                Usage.NONE);

        Response sdk = parsed(response);
        assertEquals(com.openai.models.responses.ResponseStatus.INCOMPLETE, sdk.status().orElseThrow());
        assertEquals(Response.IncompleteDetails.Reason.MAX_OUTPUT_TOKENS,
                sdk.incompleteDetails().orElseThrow().reason().orElseThrow());
        assertEquals(3, sdk.maxOutputTokens().orElseThrow());
    }

    @Test
    void an_answer_without_usage_reports_the_callers_estimate() throws Exception {
        ObjectNode response = ResponsesAnswers.toResponse(object("""
                {"choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}]}"""),
                ResponseEnvelope.of(object("{\"model\":\"auto\",\"input\":\"x\"}"), NOW), new Usage(40, 2));

        Response sdk = parsed(response);
        assertEquals(40, sdk.usage().orElseThrow().inputTokens());
        assertEquals(42, sdk.usage().orElseThrow().totalTokens());
        assertEquals("auto", sdk.model().asString(), "the requested model when the answer names none");
    }

    @Test
    void a_refusal_is_a_refusal_part_of_the_message() throws Exception {
        ObjectNode response = ResponsesAnswers.toResponse(object("""
                {"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,
                 "refusal":"I can't help with that."},"finish_reason":"stop"}]}"""),
                ResponseEnvelope.of(object("{\"model\":\"auto\",\"input\":\"x\"}"), NOW), Usage.NONE);

        assertEquals("I can't help with that.",
                parsed(response).output().get(0).asMessage().content().get(0).asRefusal().refusal());
    }
}
