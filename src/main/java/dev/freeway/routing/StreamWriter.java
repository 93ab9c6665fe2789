package dev.freeway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.provider.Usage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * How a front door writes a relayed chat stream to its client: chat completions pass chunks on as they came, other
 * doors translate them into their own events. Each method writes and flushes; after {@link #done} or
 * {@link #failed} nothing more is written.
 */
public interface StreamWriter {

    /** One chunk of the provider's stream (its payload as sent, with keys redacted, and its JSON). */
    void chunk(String payload, JsonNode chunk, OutputStream out) throws IOException;

    /** The provider finished the stream; {@code usage} is what was settled (reported, or Freeway's own count). */
    void done(Usage usage, OutputStream out) throws IOException;

    /** The stream ended without its end; the client gets an error event instead of the door's normal ending. */
    void failed(StreamFailure failure, OutputStream out) throws IOException;

    /**
     * Why a started stream did not finish.
     *
     * @param code          {@code upstream_stream_truncated}, {@code upstream_idle_timeout},
     *                      {@code upstream_stream_broken}, or the provider's own code for its error event
     * @param message       one line for the client
     * @param upstreamEvent the provider's own error event (keys redacted), when it sent one; null otherwise
     * @param usage         what was settled for the part that was relayed
     */
    record StreamFailure(String code, String message, String upstreamEvent, Usage usage) {
    }
}
