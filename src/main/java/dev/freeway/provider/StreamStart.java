package dev.freeway.provider;

import java.io.IOException;
import java.time.Duration;

/**
 * A stream opened up to its first event. When {@link #outcome()} is OK, {@link #firstEvent()} holds the first data
 * payload and {@link #next()} reads the rest; otherwise the stream is closed and the outcome says why.
 */
public final class StreamStart implements AutoCloseable {

    private final Outcome outcome;
    private final UpstreamAnswer answer;
    private final RateLimitReport report;
    private final Duration timeToFirstEvent;
    private final boolean reached;
    private final String firstEvent;
    private final SseReader reader;

    StreamStart(Outcome outcome, UpstreamAnswer answer, RateLimitReport report, Duration timeToFirstEvent,
                boolean reached, String firstEvent, SseReader reader) {
        this.outcome = outcome;
        this.answer = answer;
        this.report = report;
        this.timeToFirstEvent = timeToFirstEvent;
        this.reached = reached;
        this.firstEvent = firstEvent;
        this.reader = reader;
    }

    static StreamStart failed(Outcome outcome, UpstreamAnswer answer, RateLimitReport report, Duration elapsed,
                              boolean reached) {
        return new StreamStart(outcome, answer, report, elapsed, reached, null, null);
    }

    public Outcome outcome() {
        return outcome;
    }

    public UpstreamAnswer answer() {
        return answer;
    }

    public RateLimitReport report() {
        return report;
    }

    public Duration timeToFirstEvent() {
        return timeToFirstEvent;
    }

    public boolean reached() {
        return reached;
    }

    public String firstEvent() {
        return firstEvent;
    }

    /** The next data payload after the first, or null at the end. */
    public String next() throws IOException {
        return reader == null ? null : reader.next();
    }

    @Override
    public void close() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // the upstream connection is going away either way
            }
        }
    }
}
