package dev.freeway.quota;

import java.time.Duration;

/**
 * What a served call leaves for the operator, written in the same round trip as its settlement: its latency, for
 * the account's histogram, and its entry in the account's recent-requests stream.
 *
 * @param latency the time to the provider's answer (its first event, for a stream)
 * @param entry   the recent-requests entry, one JSON text; null for none
 * @param client  the named client the request came from, whose figures grow with it; null for none
 */
public record Trail(Duration latency, String entry, String client) {
}
