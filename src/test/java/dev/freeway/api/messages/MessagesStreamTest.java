package dev.freeway.api.messages;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.SseEvent;
import dev.freeway.provider.Usage;
import org.junit.jupiter.api.Test;

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

class MessagesStreamTest {

    private static final ObjectNode REQUEST = object("""
            {"model":"claude-sonnet-4-5","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}""");

    /** Every event except error parses as the Anthropic SDK's raw stream event; names match the data's type. */
    private static List<RawMessageStreamEvent> sdkEvents(List<SseEvent> events) throws Exception {
        List<RawMessageStreamEvent> parsed = new ArrayList<>();
        for (SseEvent event : events) {
            assertEquals(event.name(), event.data().get("type").asText());
            if (event.name().equals("ping") || event.name().equals("error")) {
                continue;
            }
            RawMessageStreamEvent sdk = ObjectMappers.jsonMapper().readValue(text(event.data()),
                    RawMessageStreamEvent.class);
            sdk.validate();
            parsed.add(sdk);
        }
        return parsed;
    }

    @Test
    void a_text_stream_is_anthropics_event_sequence_with_usage_in_message_delta() throws Exception {
        MessagesStream stream = new MessagesStream(REQUEST, 12);
        List<SseEvent> events = new ArrayList<>(stream.open());
        events.addAll(stream.onChunk(textChunk("Hello")));
        events.addAll(stream.onChunk(textChunk("!")));
        events.addAll(stream.onChunk(finishChunk("stop")));
        events.addAll(stream.onChunk(usageChunk(25, 2)));
        events.addAll(stream.complete(new Usage(99, 99)));

        assertEquals(List.of("message_start", "ping", "content_block_start", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop"), names(events));
        List<RawMessageStreamEvent> sdk = sdkEvents(events);
        assertEquals(12, sdk.get(0).asMessageStart().message().usage().inputTokens(), "the estimate at the start");
        assertEquals("Hello", sdk.get(2).asContentBlockDelta().delta().asText().text());
        var delta = sdk.get(5).asMessageDelta();
        assertEquals(StopReason.END_TURN, delta.delta().stopReason().orElseThrow());
        assertEquals(2, delta.usage().outputTokens());
        assertEquals(25, delta.usage().inputTokens().orElseThrow());
        assertTrue(stream.complete(Usage.NONE).isEmpty(), "a stream ends once");
    }

    @Test
    void tool_calls_become_tool_use_blocks_with_input_json_deltas() throws Exception {
        MessagesStream stream = new MessagesStream(REQUEST, 5);
        List<SseEvent> events = new ArrayList<>(stream.onChunk(textChunk("Checking.")));
        events.addAll(stream.onChunk(toolChunk(0, "toolu_1", "get_weather", "")));
        events.addAll(stream.onChunk(toolChunk(0, null, null, "{\"location\":")));
        events.addAll(stream.onChunk(toolChunk(0, null, null, "\"SF\"}")));
        events.addAll(stream.onChunk(toolChunk(1, "toolu_2", null, "{\"q\":")));
        events.addAll(stream.onChunk(toolChunk(1, null, "search", "1}")));
        events.addAll(stream.onChunk(finishChunk("tool_calls")));
        events.addAll(stream.complete(new Usage(5, 9)));

        assertEquals(List.of("message_start", "ping", "content_block_start", "content_block_delta",
                "content_block_stop", "content_block_start", "content_block_delta", "content_block_delta",
                "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop"), names(events));
        List<RawMessageStreamEvent> sdk = sdkEvents(events);
        var weather = sdk.get(4).asContentBlockStart();
        assertEquals(1, weather.index());
        assertEquals("toolu_1", weather.contentBlock().asToolUse().id());
        assertEquals("get_weather", weather.contentBlock().asToolUse().name());
        assertEquals("{\"location\":", sdk.get(5).asContentBlockDelta().delta().asInputJson().partialJson());
        assertEquals("search", sdk.get(8).asContentBlockStart().contentBlock().asToolUse().name());
        assertEquals("{\"q\":1}", sdk.get(9).asContentBlockDelta().delta().asInputJson().partialJson(),
                "arguments that came before the name follow in one piece");
        assertEquals(StopReason.TOOL_USE, sdk.get(11).asMessageDelta().delta().stopReason().orElseThrow());
    }

    @Test
    void an_upstream_failure_mid_stream_is_one_error_event_and_then_nothing() {
        MessagesStream stream = new MessagesStream(REQUEST, 5);
        List<SseEvent> events = new ArrayList<>(stream.onChunk(textChunk("Part")));
        events.addAll(stream.fail("server_error", "upstream_unavailable", "The provider went away."));

        SseEvent last = events.get(events.size() - 1);
        assertEquals("error", last.name());
        assertEquals(object("""
                {"type":"error","error":{"type":"overloaded_error","message":"The provider went away."}}"""), last.data());
        assertTrue(events.stream().noneMatch(e -> e.name().equals("message_stop")));
        assertTrue(stream.onChunk(textChunk("more")).isEmpty());
        assertTrue(stream.complete(Usage.NONE).isEmpty());
        assertEquals("rate_limit_error", new MessagesStream(REQUEST, 1).fail("rate_limit_exceeded", null, "x")
                .get(2).data().at("/error/type").asText());
    }
}
