package dev.freeway.status;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * Usage over a range (today by hour, 7 or 30 days by day) on one time axis: every bucket starts at an hour or a
 * midnight of the page's zone, whatever each provider's reset zone, and each provider says when its day resets.
 *
 * @param range     today, 7d or 30d
 * @param zone      the zone buckets are cut in (UTC unless the viewer chose theirs)
 * @param bucket    hour or day
 * @param providers per configured provider with accounts, in configuration order
 * @param latency   how the served and latency figures were obtained, or why they are missing
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection(targets = {UsageReport.class, UsageReport.ProviderUsage.class, UsageReport.Bucket.class,
        UsageReport.Totals.class, UsageReport.Latency.class})
public record UsageReport(String range, String zone, String bucket, List<ProviderUsage> providers, String latency) {

    /**
     * @param resetZone where its calendar windows reset
     * @param resetsAt  its next daily reset, in the page's zone; null when none of its rules resets by the calendar
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProviderUsage(String name, String resetZone, String resetsAt, List<Bucket> buckets, Totals total,
                                Latency latency) {
    }

    /** @param start ISO-8601 in the page's zone */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Bucket(String start, Totals total, Map<String, StatusReport.Counts> byAccount) {
    }

    /**
     * @param served      requests served (one call each), from the latency histograms; null per hour, where they are
     *                    not kept (per provider over the range only)
     * @param requests    calls counted against the provider's limits: those served, and failed ones it may have
     *                    counted (a 5xx, or any answered call at a provider that counts failed calls); not requests
     *                    served, and not client requests: a refused request's counted calls are here too
     * @param fallbacks   failed calls after which the request moved on
     * @param errors      failed calls that were retried or answered the client
     * @param failedCalls calls that did not serve: errors + fallbacks
     * @param errorRate   failed calls / (served + failed calls); null where served is not known, or with no call
     * @param valueUsd    the tokens at each model's list price
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Totals(Long served, long requests, long inputTokens, long outputTokens, long fallbacks, long errors,
                         long failedCalls, Double errorRate, double valueUsd) {
    }

    /**
     * Upper bounds, in ms, of the histogram buckets the percentiles fall in ({@code Long.MAX_VALUE}: beyond the last
     * bound); null without samples.
     *
     * @param samples requests served that the histograms timed
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Latency(Long p50Ms, Long p95Ms, long samples) {
    }
}
