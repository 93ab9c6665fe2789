package dev.freeway.provider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Streams that have started, read from server-sent event text, for tests of what happens after the first event. */
public final class StreamStarts {

    private StreamStarts() {
    }

    /** A stream whose first event has been read, as {@link OpenAiCompatibleProvider} hands it on when it answers 200. */
    public static StreamStart of(String sse) throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(sse.getBytes(StandardCharsets.UTF_8)));
        return new StreamStart(Outcome.OK, null, RateLimitReport.NONE, Duration.ZERO, true, reader.next(), reader);
    }
}
