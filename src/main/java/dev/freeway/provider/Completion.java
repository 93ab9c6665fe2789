package dev.freeway.provider;

import java.time.Duration;

/**
 * A finished non-streaming call.
 *
 * @param outcome  what it means for routing
 * @param answer   the provider's status, headers and body (status 0 when no answer came)
 * @param usage    tokens used, from the body's usage
 * @param report   what the provider said about its limits
 * @param latency  time to the full answer
 * @param reached  whether the provider may have processed the call (false only when it was never sent)
 */
public record Completion(Outcome outcome, UpstreamAnswer answer, Usage usage, RateLimitReport report,
                         Duration latency, boolean reached) {
}
