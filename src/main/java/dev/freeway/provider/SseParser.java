package dev.freeway.provider;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Server-sent events from body bytes as they arrive: {@code data:} lines joined by newlines, {@code event:} names,
 * comments and keep-alives skipped, lines ending in LF, CR LF or CR. An event is complete only at its blank line: as
 * the SSE specification says, an event cut off by the end of the stream is never dispatched, so a truncated chunk
 * is never passed on as if it were whole.
 *
 * <p>Every chunk of every stream passes here, so a line is kept as bytes and only its value is decoded, once: a
 * one-line event's data is that string itself (no copy through a builder).
 */
final class SseParser {

    /** One complete event: its {@code event:} name (null when none) and its data. */
    record Event(String type, String data) {
    }

    /**
     * The largest event taken, in bytes of its lines: a chunk is kilobytes; a provider that sends megabytes without
     * a blank line (or without any line end) is not streaming events, and its bytes must not grow without bound.
     */
    static final int MAX_EVENT = 8 * 1024 * 1024;

    /** An event grew past {@link #MAX_EVENT}: the stream is broken off. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("an event larger than " + MAX_EVENT + " bytes", null, false, false);
        }
    }

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event:".getBytes(StandardCharsets.US_ASCII);

    private final Deque<Event> ready = new ArrayDeque<>();
    private byte[] line = new byte[512];
    private int length;
    /** The event's data while it has one line; {@link #lines} once it has more. */
    private String data;
    private StringBuilder lines;
    private String type;
    private boolean afterCr;
    /** Bytes of the current event's lines so far. */
    private long eventBytes;

    /**
     * Feeds bytes; complete events become available from {@link #poll()}.
     *
     * @throws TooLarge when the event being read grows past {@link #MAX_EVENT}
     */
    void feed(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == '\n' && afterCr) {
                afterCr = false;
                continue; // the LF of a CR LF
            }
            afterCr = b == '\r';
            if (b == '\n' || b == '\r') {
                line();
                length = 0;
            } else {
                if (++eventBytes > MAX_EVENT) {
                    throw new TooLarge();
                }
                if (length == line.length) {
                    line = Arrays.copyOf(line, length * 2);
                }
                line[length++] = b;
            }
        }
    }

    /** The next complete event, or null. */
    Event poll() {
        return ready.poll();
    }

    private void line() {
        if (length == 0) {
            if (data != null) {
                ready.add(new Event(type, lines != null ? lines.toString() : data));
            }
            data = null;
            lines = null;
            type = null;
            eventBytes = 0;
            return;
        }
        if (line[0] == ':') {
            return; // comment or keep-alive (OpenRouter sends ": OPENROUTER PROCESSING")
        }
        // The prefixes are ASCII, so comparing bytes is comparing the decoded text.
        if (startsWith(EVENT)) {
            type = decode(EVENT.length).trim();
        } else if (startsWith(DATA)) {
            int from = length > DATA.length && line[DATA.length] == ' ' ? DATA.length + 1 : DATA.length;
            String value = decode(from);
            if (data == null) {
                data = value;
            } else {
                if (lines == null) {
                    lines = new StringBuilder(data.length() + value.length() + 16).append(data);
                }
                lines.append('\n').append(value);
            }
        }
    }

    private boolean startsWith(byte[] prefix) {
        return length >= prefix.length && Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
    }

    private String decode(int from) {
        return new String(line, from, length - from, StandardCharsets.UTF_8);
    }
}
