package dev.freeway.config;

import java.time.Duration;

/**
 * How long Freeway waits for a provider.
 *
 * @param total      a whole non-streamed answer, body included (and a stream's response headers)
 * @param firstEvent a stream's first data event, counted from the request
 * @param idle       the silence between two events of a stream that has started
 */
public record Timeouts(Duration total, Duration firstEvent, Duration idle) {

    /** Every wait the same. */
    public static Timeouts all(Duration wait) {
        return new Timeouts(wait, wait, wait);
    }
}
