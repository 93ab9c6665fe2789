package dev.freeway.api.completions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import dev.freeway.api.door.SseEvent;
import dev.freeway.provider.Usage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.freeway.api.door.DoorFixtures.acceptedByChat;
import static dev.freeway.api.door.DoorFixtures.assertInvalid;
import static dev.freeway.api.door.DoorFixtures.finishChunk;
import static dev.freeway.api.door.DoorFixtures.object;
import static dev.freeway.api.door.DoorFixtures.text;
import static dev.freeway.api.door.DoorFixtures.textChunk;
import static dev.freeway.api.door.DoorFixtures.tree;
import static dev.freeway.api.door.DoorFixtures.usageChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompletionsTest {

    private static Completion parsed(ObjectNode completion) throws Exception {
        Completion sdk = ObjectMappers.jsonMapper().readValue(text(completion), Completion.class);
        sdk.validate();
        return sdk;
    }

    @Test
    void a_request_built_by_the_openai_sdk_becomes_one_user_message_with_its_limits() throws Exception {
        CompletionCreateParams params = CompletionCreateParams.builder().model("gpt-3.5-turbo-instruct")
                .prompt("Say this is a test").maxTokens(7L).temperature(0.0).stop("\n").user("u-1").build();
        ObjectNode chat = acceptedByChat(CompletionsRequests.toChat(
                object(ObjectMappers.jsonMapper().writeValueAsString(params._body()))));

        assertEquals(tree("[{\"role\":\"user\",\"content\":\"Say this is a test\"}]"), chat.get("messages"));
        assertEquals(7, chat.get("max_tokens").asInt());
        assertEquals(0.0, chat.get("temperature").asDouble());
        assertEquals("\n", chat.get("stop").asText());
        assertEquals("u-1", chat.get("user").asText());
    }

    @Test
    void legacy_defaults_hold_an_array_of_one_prompt_works_and_streams_ask_for_usage() {
        ObjectNode chat = CompletionsRequests.toChat(object("""
                {"model":"m","prompt":["Once upon a time"],"stream":true,"stop":["\\n","END"]}"""));
        assertEquals(CompletionsRequests.DEFAULT_MAX_TOKENS, chat.get("max_tokens").asInt(), "OpenAI's default of 16");
        assertEquals("Once upon a time", chat.at("/messages/0/content").asText());
        assertTrue(chat.at("/stream_options/include_usage").asBoolean());
        assertEquals(2, chat.get("stop").size());
    }

    @Test
    void what_chat_cannot_carry_is_refused_with_a_clear_400() {
        assertInvalid("suffix", "fill-in-the-middle", () -> CompletionsRequests.toChat(object(
                "{\"model\":\"m\",\"prompt\":\"def f(\",\"suffix\":\"return x\"}")));
        assertInvalid("prompt", "token-id", () -> CompletionsRequests.toChat(object(
                "{\"model\":\"m\",\"prompt\":[1212,318,257]}")));
        assertInvalid("prompt", "one prompt per request", () -> CompletionsRequests.toChat(object(
                "{\"model\":\"m\",\"prompt\":[\"a\",\"b\"]}")));
        assertInvalid("prompt", "Missing", () -> CompletionsRequests.toChat(object("{\"model\":\"m\"}")));
        assertInvalid("echo", "echo", () -> CompletionsRequests.toChat(object(
                "{\"model\":\"m\",\"prompt\":\"x\",\"echo\":true}")));
        assertInvalid("logprobs", "log probabilities", () -> CompletionsRequests.toChat(object(
                "{\"model\":\"m\",\"prompt\":\"x\",\"logprobs\":5}")));
        assertInvalid("stop", "up to 4", () -> CompletionsRequests.toChat(object(
                "{\"model\":\"m\",\"prompt\":\"x\",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}")));
        assertInvalid("max_tokens", "expected an integer", () -> CompletionsRequests.toChat(object(
                "{\"model\":\"m\",\"prompt\":\"x\",\"max_tokens\":\"16\"}")));
        // whether the client gets the usage chunk: a value that is not a boolean is refused, never guessed
        assertInvalid("stream_options.include_usage", "a boolean", () -> CompletionsRequests.toChat(object(
                "{\"model\":\"m\",\"prompt\":\"x\",\"stream\":true,\"stream_options\":{\"include_usage\":\"true\"}}")));
        assertInvalid("stream_options", "an object", () -> CompletionsRequests.toChat(object(
                "{\"model\":\"m\",\"prompt\":\"x\",\"stream\":true,\"stream_options\":5}")));
    }

    @Test
    void a_chat_answer_is_a_text_completion_the_openai_sdk_reads() throws Exception {
        Completion sdk = parsed(CompletionsAnswers.toCompletion(object("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1764000000,"model":"openai/gpt-oss-20b",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"This is indeed a test"},"finish_reason":"length"}],
                 "usage":{"prompt_tokens":5,"completion_tokens":7,"total_tokens":12}}"""), "gpt-3.5-turbo-instruct",
                Usage.NONE));

        assertTrue(sdk.id().startsWith("cmpl-"));
        assertEquals("This is indeed a test", sdk.choices().get(0).text());
        assertEquals(CompletionChoice.FinishReason.LENGTH, sdk.choices().get(0).finishReason());
        assertEquals(12, sdk.usage().orElseThrow().totalTokens());
        assertEquals("openai/gpt-oss-20b", sdk.model());
        assertEquals(9, parsed(CompletionsAnswers.toCompletion(object("""
                {"choices":[{"index":0,"message":{"content":"x"},"finish_reason":"stop"}]}"""), "m", new Usage(4, 5)))
                .usage().orElseThrow().totalTokens(), "the estimate when the provider sent no usage");
    }

    @Test
    void a_stream_is_text_chunks_a_usage_chunk_when_asked_and_done() throws Exception {
        CompletionsStream stream = new CompletionsStream("m", true);
        List<SseEvent> events = new ArrayList<>(stream.onChunk(textChunk("This is")));
        events.addAll(stream.onChunk(textChunk(" a test")));
        events.addAll(stream.onChunk(finishChunk("stop")));
        events.addAll(stream.onChunk(usageChunk(5, 4)));
        events.addAll(stream.complete(Usage.NONE));

        assertEquals(5, events.size());
        // As OpenAI's own chunks, ours have finish_reason null until the last, which the SDK reads but would not
        // pass validate(); each chunk must still parse and give its text.
        for (SseEvent event : events.subList(0, 3)) {
            assertEquals(null, event.name());
            Completion chunk = ObjectMappers.jsonMapper().readValue(text(event.data()), Completion.class);
            assertEquals(event.data().at("/choices/0/text").asText(), chunk.choices().get(0).text());
        }
        assertEquals(" a test", events.get(1).data().at("/choices/0/text").asText());
        assertEquals("stop", events.get(2).data().at("/choices/0/finish_reason").asText());
        assertEquals(9, events.get(3).data().at("/usage/total_tokens").asInt());
        assertEquals(SseEvent.DONE, events.get(4));
    }

    @Test
    void a_failed_stream_ends_with_an_error_chunk_and_never_done() {
        CompletionsStream stream = new CompletionsStream("m", false);
        List<SseEvent> events = new ArrayList<>(stream.onChunk(textChunk("Part")));
        events.addAll(stream.fail("server_error", "upstream_error", "The provider closed the stream."));

        assertEquals(2, events.size());
        assertEquals("The provider closed the stream.", events.get(1).data().at("/error/message").asText());
        assertEquals("server_error", events.get(1).data().at("/error/type").asText());
        assertFalse(events.contains(SseEvent.DONE));
        assertTrue(stream.complete(Usage.NONE).isEmpty());
    }
}
