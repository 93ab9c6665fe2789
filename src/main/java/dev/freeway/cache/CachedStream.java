package dev.freeway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.routing.StreamWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A kept answer sent as a stream, through the door's own writer exactly as a relayed stream is: per choice a role
 * chunk, its reasoning, its content in the pieces it came in (or, for an answer that came whole, split after words
 * into pieces of about {@value #PIECE} characters), its refusal and tool calls, and a finish chunk; then the usage
 * chunk when the request asked for it; then the door's end. Every chunk carries the original's id, created time and
 * model.
 */
public final class CachedStream {

    static final int PIECE = 32;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private CachedStream() {
    }

    /** Writes the whole stream; the door's normal end follows the last chunk. */
    public static void replay(CachedAnswer answer, StreamWriter writer, OutputStream out, boolean withUsage)
            throws IOException {
        for (ObjectNode chunk : chunks(answer, withUsage)) {
            writer.chunk(chunk.toString(), chunk, out);
        }
        writer.done(answer.usage(), out);
    }

    /** The chat chunks a kept answer is replayed as. */
    static List<ObjectNode> chunks(CachedAnswer answer, boolean withUsage) {
        JsonNode completion = answer.completion();
        List<ObjectNode> chunks = new ArrayList<>();
        int position = 0;
        for (JsonNode choice : completion.path("choices")) {
            int index = choice.path("index").asInt(position);
            JsonNode message = choice.path("message");
            ObjectNode opening = JSON.objectNode().put("role", message.path("role").asText("assistant"));
            opening.put("content", "");
            chunks.add(chunk(completion, index, opening, null));
            for (String field : List.of("reasoning_content", "reasoning")) {
                if (message.path(field).isTextual() && !message.get(field).asText().isEmpty()) {
                    chunks.add(chunk(completion, index, JSON.objectNode().put(field, message.get(field).asText()), null));
                }
            }
            for (String piece : pieces(answer, position, message.path("content").asText(""))) {
                chunks.add(chunk(completion, index, JSON.objectNode().put("content", piece), null));
            }
            if (message.path("refusal").isTextual()) {
                chunks.add(chunk(completion, index, JSON.objectNode().put("refusal", message.get("refusal").asText()),
                        null));
            }
            int call = 0;
            for (JsonNode toolCall : message.path("tool_calls")) {
                ObjectNode delta = JSON.objectNode();
                ObjectNode copy = delta.putArray("tool_calls").addObject().put("index", call++);
                copy.setAll((ObjectNode) toolCall.deepCopy());
                chunks.add(chunk(completion, index, delta, null));
            }
            chunks.add(chunk(completion, index, JSON.objectNode(), choice.path("finish_reason").asText("stop")));
            position++;
        }
        if (withUsage) {
            ObjectNode usage = envelope(completion);
            usage.putArray("choices");
            usage.putObject("usage").put("prompt_tokens", answer.usage().promptTokens())
                    .put("completion_tokens", answer.usage().completionTokens())
                    .put("total_tokens", answer.usage().totalTokens());
            chunks.add(usage);
        }
        return chunks;
    }

    /** The content pieces of one choice: as they came in a stream, else the content split after words. */
    static List<String> pieces(CachedAnswer answer, int position, String content) {
        if (answer.pieces() != null && position < answer.pieces().size()
                && String.join("", answer.pieces().get(position)).equals(content)) {
            return answer.pieces().get(position);
        }
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length(); i++) {
            boolean boundary = Character.isWhitespace(content.charAt(i))
                    && (i + 1 == content.length() || !Character.isWhitespace(content.charAt(i + 1)));
            if (boundary && i + 1 - start >= PIECE) {
                pieces.add(content.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < content.length()) {
            pieces.add(content.substring(start));
        }
        return pieces;
    }

    private static ObjectNode chunk(JsonNode completion, int index, ObjectNode delta, String finishReason) {
        ObjectNode chunk = envelope(completion);
        ArrayNode choices = chunk.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", index);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    private static ObjectNode envelope(JsonNode completion) {
        ObjectNode chunk = JSON.objectNode();
        chunk.put("id", completion.path("id").asText("chatcmpl-cached"));
        chunk.put("object", "chat.completion.chunk");
        if (completion.has("created")) {
            chunk.set("created", completion.get("created"));
        }
        chunk.put("model", completion.path("model").asText(""));
        if (completion.hasNonNull("system_fingerprint")) {
            chunk.put("system_fingerprint", completion.get("system_fingerprint").asText());
        }
        return chunk;
    }
}
