package dev.freeway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.provider.Usage;
import dev.freeway.routing.StreamWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.freeway.api.door.DoorFixtures.finishChunk;
import static dev.freeway.api.door.DoorFixtures.object;
import static dev.freeway.api.door.DoorFixtures.textChunk;
import static dev.freeway.api.door.DoorFixtures.toolChunk;
import static dev.freeway.api.door.DoorFixtures.usageChunk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A relayed stream put together into one completion, and a kept answer sent again as chunks. */
class CachedStreamTest {

    /** A writer that records what it is given. */
    static final class Recorder implements StreamWriter {
        final List<JsonNode> chunks = new ArrayList<>();
        final List<String> payloads = new ArrayList<>();
        Usage done;
        boolean failed;

        @Override
        public void chunk(String payload, JsonNode chunk, OutputStream out) {
            assertEquals(chunk.toString(), object(payload).toString(), "the payload is the chunk's JSON");
            chunks.add(chunk);
            payloads.add(payload);
        }

        @Override
        public void done(Usage usage, OutputStream out) {
            done = usage;
        }

        @Override
        public void failed(StreamFailure failure, OutputStream out) {
            failed = true;
        }
    }

    private static JsonNode roleChunk() {
        return object("""
                {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1764000000,"model":"openai/gpt-oss-120b",\
                "choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""");
    }

    @Test
    void a_finished_stream_becomes_one_completion_and_replays_chunk_for_chunk() throws Exception {
        List<JsonNode> live = List.of(roleChunk(), textChunk("Hel"), textChunk("lo, "), textChunk("world!"),
                finishChunk("stop"), usageChunk(9, 3));
        Recorder door = new Recorder();
        AtomicReference<CachedAnswer> kept = new AtomicReference<>();
        StreamCollector collector = new StreamCollector(door, (completion, pieces) -> kept.set(
                new CachedAnswer("groq", "openai/gpt-oss-120b", "team-a", new Usage(9, 3), completion, pieces)));
        OutputStream out = new ByteArrayOutputStream();
        for (JsonNode chunk : live) {
            collector.chunk(chunk.toString(), chunk, out);
        }
        collector.done(new Usage(9, 3), out);

        assertEquals(live, door.chunks, "the door got every chunk as it came");
        JsonNode completion = kept.get().completion();
        assertEquals("chat.completion", completion.get("object").asText());
        assertEquals("Hello, world!", completion.at("/choices/0/message/content").asText());
        assertEquals("stop", completion.at("/choices/0/finish_reason").asText());
        assertEquals(12, completion.at("/usage/total_tokens").asLong());

        Recorder replayed = new Recorder();
        CachedStream.replay(kept.get(), replayed, out, true);
        assertEquals(texts(live), replayed.payloads, "the same chunks, in the same pieces, byte for byte");
        assertEquals(new Usage(9, 3), replayed.done);
        Recorder withoutUsage = new Recorder();
        CachedStream.replay(kept.get(), withoutUsage, out, false);
        assertEquals(texts(live.subList(0, 5)), withoutUsage.payloads, "the usage chunk only when asked for");
    }

    private static List<String> texts(List<JsonNode> chunks) {
        return chunks.stream().map(JsonNode::toString).toList();
    }

    @Test
    void a_stream_that_did_not_finish_is_never_handed_on() throws Exception {
        Recorder door = new Recorder();
        AtomicReference<ObjectNode> kept = new AtomicReference<>();
        StreamCollector collector = new StreamCollector(door, (completion, pieces) -> kept.set(completion));
        OutputStream out = new ByteArrayOutputStream();
        collector.chunk(textChunk("Hal").toString(), textChunk("Hal"), out);
        collector.failed(new StreamWriter.StreamFailure("upstream_stream_truncated", "cut", null, Usage.NONE), out);
        assertTrue(door.failed);
        assertNull(kept.get());
    }

    @Test
    void tool_calls_in_pieces_are_put_together_and_replayed_whole() throws Exception {
        AtomicReference<CachedAnswer> kept = new AtomicReference<>();
        StreamCollector collector = new StreamCollector(new Recorder(), (completion, pieces) -> kept.set(
                new CachedAnswer("groq", "m", "a", new Usage(5, 5), completion, pieces)));
        OutputStream out = new ByteArrayOutputStream();
        for (JsonNode chunk : List.of(roleChunk(), toolChunk(0, "call_1", "get_weather", ""),
                toolChunk(0, null, null, "{\"city\":"), toolChunk(0, null, null, "\"Paris\"}"),
                finishChunk("tool_calls"))) {
            collector.chunk(chunk.toString(), chunk, out);
        }
        collector.done(new Usage(5, 5), out);

        JsonNode message = kept.get().completion().at("/choices/0/message");
        assertTrue(message.get("content").isNull());
        assertEquals("get_weather", message.at("/tool_calls/0/function/name").asText());
        assertEquals("{\"city\":\"Paris\"}", message.at("/tool_calls/0/function/arguments").asText());

        Recorder replayed = new Recorder();
        CachedStream.replay(kept.get(), replayed, out, false);
        JsonNode call = replayed.chunks.get(1).at("/choices/0/delta/tool_calls/0");
        assertEquals(0, call.get("index").asInt());
        assertEquals("call_1", call.get("id").asText());
        assertEquals("{\"city\":\"Paris\"}", call.at("/function/arguments").asText());
        assertEquals("tool_calls", replayed.chunks.get(2).at("/choices/0/finish_reason").asText());
    }

    @Test
    void an_answer_that_came_whole_is_sent_in_pieces_after_words() {
        String text = "The quick brown fox jumps over the lazy dog, and then it runs far away into the woods.";
        CachedAnswer answer = new CachedAnswer("groq", "m", "a", new Usage(1, 1), object("""
                {"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,\
                "message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}]}""".formatted(text)), null);
        List<String> pieces = CachedStream.pieces(answer, 0, text);
        assertEquals(text, String.join("", pieces));
        assertTrue(pieces.size() > 1 && pieces.stream().allMatch(p -> p.length() < CachedStream.PIECE + 12), pieces.toString());
        List<ObjectNode> chunks = CachedStream.chunks(answer, false);
        assertEquals(pieces.size() + 2, chunks.size(), "a role chunk, the pieces, a finish chunk");
        assertEquals("chat.completion.chunk", chunks.get(0).get("object").asText());
    }
}
