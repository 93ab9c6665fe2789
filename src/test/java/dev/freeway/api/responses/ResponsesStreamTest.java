package dev.freeway.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.ResponseStreamEvent;
import dev.freeway.api.door.SseEvent;
import dev.freeway.provider.Usage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.freeway.api.door.DoorFixtures.finishChunk;
import static dev.freeway.api.door.DoorFixtures.names;
import static dev.freeway.api.door.DoorFixtures.object;
import static dev.freeway.api.door.DoorFixtures.text;
import static dev.freeway.api.door.DoorFixtures.textChunk;
import static dev.freeway.api.door.DoorFixtures.toolChunk;
import static dev.freeway.api.door.DoorFixtures.usageChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponsesStreamTest {

    private static ResponsesStream stream(String request) {
        return new ResponsesStream(ResponseEnvelope.of(object(request), Instant.parse("2026-11-24T10:00:00Z")));
    }

    /** Every event parses as the OpenAI SDK's stream event, and sequence numbers count 0, 1, 2, ... */
    private static List<ResponseStreamEvent> sdkEvents(List<SseEvent> events) throws Exception {
        List<ResponseStreamEvent> parsed = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            SseEvent event = events.get(i);
            assertEquals(event.name(), event.data().get("type").asText());
            assertEquals(i, event.data().get("sequence_number").asInt(), "sequence of " + event.name());
            ResponseStreamEvent sdk = ObjectMappers.jsonMapper().readValue(text(event.data()), ResponseStreamEvent.class);
            sdk.validate();
            parsed.add(sdk);
        }
        return parsed;
    }

    @Test
    void a_text_stream_is_the_responses_event_sequence_ending_in_completed_with_usage() throws Exception {
        ResponsesStream stream = stream("{\"model\":\"auto\",\"input\":\"Say hi\",\"stream\":true}");
        List<SseEvent> events = new ArrayList<>(stream.open());
        events.addAll(stream.onChunk(textChunk("Hel")));
        events.addAll(stream.onChunk(textChunk("lo!")));
        events.addAll(stream.onChunk(finishChunk("stop")));
        events.addAll(stream.onChunk(usageChunk(9, 2)));
        events.addAll(stream.complete(new Usage(100, 100)));

        assertEquals(List.of("response.created", "response.in_progress", "response.output_item.added",
                "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed"), names(events));
        List<ResponseStreamEvent> sdk = sdkEvents(events);
        assertEquals("lo!", sdk.get(5).asOutputTextDelta().delta());
        assertEquals("Hello!", sdk.get(6).asOutputTextDone().text());
        var completed = sdk.get(9).asCompleted().response();
        assertEquals("Hello!", completed.output().get(0).asMessage().content().get(0).asOutputText().text());
        assertEquals(9, completed.usage().orElseThrow().inputTokens(), "the provider's usage beats the estimate");
        assertEquals("openai/gpt-oss-120b", completed.model().asString());
        assertEquals(sdk.get(0).asCreated().response().id(), completed.id());
        String itemId = sdk.get(2).asOutputItemAdded().item().asMessage().id();
        assertEquals(itemId, sdk.get(4).asOutputTextDelta().itemId());
        assertTrue(stream.complete(Usage.NONE).isEmpty(), "a stream ends once");
    }

    @Test
    void two_tool_calls_with_arguments_in_pieces_map_to_function_call_argument_deltas() throws Exception {
        ResponsesStream stream = stream("""
                {"model":"auto","input":"Weather?","tools":[{"type":"function","name":"get_weather"}]}""");
        List<SseEvent> events = new ArrayList<>();
        events.addAll(stream.onChunk(textChunk("Checking.")));
        events.addAll(stream.onChunk(toolChunk(0, "call_p", "get_weather", "")));
        events.addAll(stream.onChunk(toolChunk(0, null, null, "{\"city\":")));
        events.addAll(stream.onChunk(toolChunk(1, "call_r", "get_weather", "{\"city\":\"Ro")));
        events.addAll(stream.onChunk(toolChunk(0, null, null, "\"Paris\"}")));
        events.addAll(stream.onChunk(toolChunk(1, null, null, "me\"}")));
        events.addAll(stream.onChunk(finishChunk("tool_calls")));
        events.addAll(stream.complete(new Usage(30, 12)));

        assertEquals(List.of("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed"), names(events));
        List<ResponseStreamEvent> sdk = sdkEvents(events);
        var paris = sdk.get(14).asFunctionCallArgumentsDone();
        assertEquals("{\"city\":\"Paris\"}", paris.arguments());
        assertEquals(1, paris.outputIndex());
        assertEquals("{\"city\":\"Rome\"}", sdk.get(16).asFunctionCallArgumentsDone().arguments());
        var calls = sdk.get(18).asCompleted().response().output();
        assertEquals("call_p", calls.get(1).asFunctionCall().callId());
        assertEquals("call_r", calls.get(2).asFunctionCall().callId());
        assertEquals(42, sdk.get(18).asCompleted().response().usage().orElseThrow().totalTokens(),
                "the estimate when the provider sent no usage");
    }

    @Test
    void a_call_whose_name_arrives_late_is_announced_with_the_arguments_so_far() throws Exception {
        ResponsesStream stream = stream("{\"model\":\"auto\",\"input\":\"x\"}");
        List<SseEvent> events = new ArrayList<>(stream.onChunk(toolChunk(0, "call_1", null, "{\"a\":")));
        events.addAll(stream.onChunk(toolChunk(0, null, "lookup", "1}")));
        events.addAll(stream.complete(Usage.NONE));

        List<ResponseStreamEvent> sdk = sdkEvents(events);
        assertEquals("lookup", sdk.get(2).asOutputItemAdded().item().asFunctionCall().name());
        assertEquals("{\"a\":1}", sdk.get(3).asFunctionCallArgumentsDelta().delta());
    }

    @Test
    void a_stream_cut_by_length_ends_incomplete() throws Exception {
        ResponsesStream stream = stream("{\"model\":\"auto\",\"input\":\"x\",\"max_output_tokens\":2}");
        List<SseEvent> events = new ArrayList<>(stream.onChunk(textChunk("Once upon")));
        events.addAll(stream.onChunk(finishChunk("length")));
        events.addAll(stream.complete(Usage.NONE));

        SseEvent last = events.get(events.size() - 1);
        assertEquals("response.incomplete", last.name());
        var response = sdkEvents(events).get(events.size() - 1).asIncomplete().response();
        assertEquals("max_output_tokens", response.incompleteDetails().orElseThrow().reason().orElseThrow().asString());
        assertEquals("incomplete", response.output().get(0).asMessage().status().asString());
    }

    @Test
    void an_upstream_failure_mid_stream_is_response_failed_and_then_nothing() throws Exception {
        ResponsesStream stream = stream("{\"model\":\"auto\",\"input\":\"x\"}");
        List<SseEvent> events = new ArrayList<>(stream.onChunk(textChunk("Partial")));
        events.addAll(stream.fail("server_error", "upstream_disconnected", "The provider closed the stream."));

        SseEvent last = events.get(events.size() - 1);
        assertEquals("response.failed", last.name());
        JsonNode response = last.data().get("response");
        assertEquals("failed", response.get("status").asText());
        assertEquals("server_error", response.at("/error/code").asText());
        assertEquals("The provider closed the stream.", response.at("/error/message").asText());
        assertEquals("Partial", response.at("/output/0/content/0/text").asText(), "what was relayed stays visible");
        sdkEvents(events);
        assertTrue(stream.onChunk(textChunk("more")).isEmpty());
        assertTrue(stream.complete(Usage.NONE).isEmpty());
        assertTrue(stream.fail("server_error", null, "again").isEmpty());
        assertEquals("failed", stream.response().get("status").asText());
    }

    @Test
    void a_failure_before_any_chunk_still_opens_the_response_first() throws Exception {
        ResponsesStream stream = stream("{\"model\":\"auto\",\"input\":\"x\"}");
        List<SseEvent> events = stream.fail("rate_limit_exceeded", null, "All candidates are exhausted.");
        assertEquals(List.of("response.created", "response.in_progress", "response.failed"), names(events));
        assertEquals("rate_limit_exceeded", sdkEvents(events).get(2).asFailed().response().error().orElseThrow()
                .code().asString());
    }
}
