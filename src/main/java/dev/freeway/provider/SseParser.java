package dev.freeway.provider;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Server-sent events from body bytes as they arrive: {@code data:} lines joined by newlines, {@code event:} names,
 * comments and keep-alives skipped, lines ending in LF, CR LF or CR. An event is complete only at its blank line: as
 * the SSE specification says, an event cut off by the end of the stream is never dispatched, so a truncated chunk
 * is never passed on as if it were whole.
 */
final class SseParser {

    /** One complete event: its {@code event:} name (null when none) and its data. */
    record Event(String type, String data) {
    }

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final Deque<Event> ready = new ArrayDeque<>();
    private StringBuilder data;
    private String type;
    private boolean afterCr;

    /** Feeds bytes; complete events become available from {@link #poll()}. */
    void feed(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == '\n' && afterCr) {
                afterCr = false;
                continue; // the LF of a CR LF
            }
            afterCr = b == '\r';
            if (b == '\n' || b == '\r') {
                line(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    /** The next complete event, or null. */
    Event poll() {
        return ready.poll();
    }

    private void line(String text) {
        if (text.isEmpty()) {
            if (data != null) {
                ready.add(new Event(type, data.toString()));
            }
            data = null;
            type = null;
            return;
        }
        if (text.startsWith(":")) {
            return; // comment or keep-alive (OpenRouter sends ": OPENROUTER PROCESSING")
        }
        if (text.startsWith("event:")) {
            type = text.substring(6).trim();
        } else if (text.startsWith("data:")) {
            String value = text.substring(5);
            value = value.startsWith(" ") ? value.substring(1) : value;
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
    }
}
