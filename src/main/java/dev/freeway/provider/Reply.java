package dev.freeway.provider;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * A provider's answer to one call, read the same way whether it was a whole completion or a stream that has started:
 * what it means ({@link #outcome()}), what the provider said about its limits, how long it took, whether the
 * provider may have done (and counted) the work, and then either the completion body or the opened stream.
 *
 * @param outcome    what it means for routing
 * @param answer     the provider's status, headers and body (status 0 when no answer came; for a stream, the
 *                   headers only, or the error event that ended it before any data)
 * @param report     what the provider said about its limits
 * @param latency    time to the whole answer, or to a stream's first event
 * @param reached    whether the provider may have processed the call (false only when it was never sent)
 * @param body       a successful completion's JSON; null otherwise
 * @param usage      the usage a completion reported; null when it reported none (always null for a stream)
 * @param firstEvent a started stream's first data payload; null otherwise
 * @param events     a started stream's remaining events; null otherwise
 */
public record Reply(Outcome outcome, UpstreamAnswer answer, RateLimitReport report, Duration latency,
                    boolean reached, JsonNode body, Usage usage, String firstEvent, EventStream events)
        implements AutoCloseable {

    static Reply failed(Outcome outcome, UpstreamAnswer answer, RateLimitReport report, Duration latency,
                        boolean reached) {
        return new Reply(outcome, answer, report, latency, reached, null, null, null, null);
    }

    static Reply completed(Outcome outcome, UpstreamAnswer answer, RateLimitReport report, Duration latency,
                           JsonNode body, Usage usage) {
        return new Reply(outcome, answer, report, latency, true, body, usage, null, null);
    }

    static Reply streaming(UpstreamAnswer head, RateLimitReport report, Duration latency, String firstEvent,
                           EventStream events) {
        return new Reply(Outcome.OK, head, report, latency, true, null, null, firstEvent, events);
    }

    /** Whether this is a started stream, its first event in hand and nothing sent to the client yet. */
    public boolean streaming() {
        return events != null;
    }

    /** Stops a started stream's upstream request. */
    @Override
    public void close() {
        if (events != null) {
            events.close();
        }
    }
}
