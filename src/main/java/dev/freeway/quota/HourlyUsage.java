package dev.freeway.quota;

import java.time.Instant;

/** One row of the usage ledger: what one account and model did in one UTC hour. */
public record HourlyUsage(Instant hour, String model, UsageCounts counts) {
}
