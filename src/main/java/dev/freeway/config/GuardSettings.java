package dev.freeway.config;

import java.time.Duration;

/**
 * One provider's retry and circuit breaker settings, read from {@code freeway.providers.<name>.guard} at start-up.
 *
 * @param retries             retries on the same account, for transient failures only
 * @param retryDelay          first retry delay; later ones grow exponentially
 * @param retryMaxDelay       longest retry delay; a provider asking for a longer wait is routed around
 * @param breakerVolume       calls the circuit breaker looks at before it may open
 * @param breakerFailureRatio share of failing calls among them that opens the circuit
 * @param breakerDelay        how long an open circuit stays open before a trial call
 */
public record GuardSettings(int retries, Duration retryDelay, Duration retryMaxDelay, int breakerVolume,
                    double breakerFailureRatio, Duration breakerDelay) {

    /** Freeway's defaults, as {@link FreewayConfig.GuardConfig} declares them: for providers nobody configures. */
    public static final GuardSettings DEFAULTS = new GuardSettings(1, Duration.ofMillis(200), Duration.ofSeconds(2), 10, 0.5,
            Duration.ofSeconds(30));

    static GuardSettings of(FreewayConfig.GuardConfig config) {
        return new GuardSettings(config.retries(), config.retryDelay(), config.retryMaxDelay(), config.breakerVolume(),
                config.breakerFailureRatio(), config.breakerDelay());
    }
}
