package dev.freeway.provider;

import java.time.Instant;

/**
 * Reads one provider family's failure signals. Implementations are stateless and pure: same answer and clock,
 * same outcome.
 */
public interface ErrorDialect {

    /** Classifies a non-2xx answer, or an error event that arrived inside a 200 stream. */
    Outcome classify(UpstreamAnswer answer, ProviderClock clock);

    /** Reads the provider's rate-limit headers from any answer, successful or not. */
    default RateLimitReport report(UpstreamAnswer answer, Instant now) {
        return RateLimitReport.NONE;
    }

    /** The moment a call is classified, and the provider's reset time zone for "next midnight" answers. */
    record ProviderClock(Instant now, java.time.ZoneId resetZone) {
    }
}
