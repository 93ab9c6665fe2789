package dev.freeway.provider;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Reads server-sent events: one {@code data} payload at a time, skipping comments and keep-alives. */
public final class SseReader implements AutoCloseable {

    private final BufferedReader lines;
    private String lastEventType;

    public SseReader(InputStream in) {
        this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event's data (multi-line data joined by newlines), or null at the end of the stream. */
    public String next() throws IOException {
        StringBuilder data = null;
        String type = null;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    lastEventType = type;
                    return data.toString();
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue; // comment or keep-alive (OpenRouter sends ": OPENROUTER PROCESSING")
            }
            if (line.startsWith("event:")) {
                type = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                String value = line.substring(5);
                value = value.startsWith(" ") ? value.substring(1) : value;
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        lastEventType = type;
        return data == null ? null : data.toString();
    }

    /** The {@code event:} name of the last event read, when the server sent one. */
    public String lastEventType() {
        return lastEventType;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
