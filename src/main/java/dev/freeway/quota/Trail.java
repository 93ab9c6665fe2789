package dev.freeway.quota;

import java.time.Duration;

/**
 * What a served call leaves for the operator and for routing, written in the same round trip as its settlement: its
 * latency, for the account's histogram, its entry in the account's recent-requests stream, and a strategy's moving
 * average.
 *
 * @param latency the time from the call to its settlement (a stream's end)
 * @param entry   the recent-requests entry, one JSON text; null for none
 * @param client  the named client the request came from, whose figures grow with it; null for none
 * @param average a sample for a moving average in the serving account's slot; null for none
 */
public record Trail(Duration latency, String entry, String client, Average average) {

    /**
     * A sample folded into a moving average kept in the serving account's own slot (so it rides in the settlement),
     * the newest weighing 0.2.
     *
     * @param key    the average's key, in the account's slot
     * @param sample the sample, whole
     * @param keep   how long the average lives after this sample
     */
    public record Average(String key, long sample, Duration keep) {
    }
}
