package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;

/**
 * What a provider says is left of one of its limits, e.g. Groq's {@code x-ratelimit-remaining-requests} (requests
 * per day) or {@code x-ratelimit-remaining-tokens} (tokens per minute). It corrects every rule of the same metric and
 * window: the provider's figure wins where it shows more used than Freeway counted.
 */
public record ReportedRemaining(LimitRule.Metric metric, LimitRule.Window window, long remaining) {

    public ReportedRemaining {
        if (remaining < 0) {
            throw new IllegalArgumentException("remaining must be zero or more");
        }
    }

    boolean describes(LimitRule rule) {
        return rule.metric() == metric && rule.window() == window;
    }
}
