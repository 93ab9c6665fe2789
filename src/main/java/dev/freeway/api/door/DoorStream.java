package dev.freeway.api.door;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.provider.Usage;

import java.util.List;

/**
 * Turns one upstream chat-completions stream into a front door's events. Stateful: one instance per stream, fed in
 * order, ended exactly once by {@link #complete} or {@link #fail}; after that every call returns nothing.
 */
public interface DoorStream {

    /**
     * The events that open the stream (Responses' {@code response.created}, Anthropic's {@code message_start});
     * written once, before anything else. Calling it is optional: the first chunk, complete or fail opens the stream
     * when it has not been opened.
     */
    List<SseEvent> open();

    /** The events for one chat chunk as the provider sent it ({@code choices[].delta}, or a usage-only chunk). */
    List<SseEvent> onChunk(JsonNode chunk);

    /**
     * The provider finished the stream. Usage a chunk carried wins over {@code estimate}, which the caller passes for
     * providers that send none.
     */
    List<SseEvent> complete(Usage estimate);

    /**
     * The provider failed after the stream had started: the door's error event, and never its normal end.
     *
     * @param type    OpenAI's error type (server_error, rate_limit_exceeded, ...)
     * @param code    the error code, or null
     * @param message what the client reads
     */
    List<SseEvent> fail(String type, String code, String message);
}
