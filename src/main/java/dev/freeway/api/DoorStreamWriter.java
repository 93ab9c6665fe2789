package dev.freeway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.api.door.DoorStream;
import dev.freeway.api.door.SseEvent;
import dev.freeway.provider.Usage;
import dev.freeway.routing.StreamWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes a relayed chat stream as another front door's events: each chunk through the door's translator, the door's
 * end when the provider finished, its error event when it did not. What a door must keep of the answer (a stored
 * Responses response) is kept by {@code beforeTheEnd}, after the last event is known and before it is written, so a
 * client holding the end finds it kept.
 */
final class DoorStreamWriter implements StreamWriter {

    private final DoorStream door;
    private final Runnable beforeTheEnd;

    DoorStreamWriter(DoorStream door, Runnable beforeTheEnd) {
        this.door = door;
        this.beforeTheEnd = beforeTheEnd;
    }

    @Override
    public void chunk(String payload, JsonNode chunk, OutputStream out) throws IOException {
        write(out, door.onChunk(chunk));
    }

    @Override
    public void done(Usage usage, OutputStream out) throws IOException {
        List<SseEvent> end = door.complete(usage);
        beforeTheEnd.run();
        write(out, end);
    }

    @Override
    public void failed(StreamFailure failure, OutputStream out) throws IOException {
        List<SseEvent> end = door.fail("server_error", failure.code(), failure.message());
        beforeTheEnd.run();
        write(out, end);
    }

    private static void write(OutputStream out, List<SseEvent> events) throws IOException {
        if (events.isEmpty()) {
            return;
        }
        for (SseEvent event : events) {
            out.write(event.bytes());
        }
        out.flush();
    }
}
