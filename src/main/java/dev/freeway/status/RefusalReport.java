package dev.freeway.status;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * The requests clients were refused over a range, on the page's one time axis (the same buckets as the usage):
 * each request once by the answer it got, and for each provider it tried, the reason that provider could not serve
 * it ({@link RefusalReason}).
 *
 * @param range     today, 7d or 30d
 * @param zone      the zone buckets are cut in
 * @param bucket    hour or day
 * @param total     requests refused in the range
 * @param byAnswer  those requests by the answer they got: the routing failure's kind ({@code exhausted} is the 429
 *                  with Retry-After, {@code upstream_failed} the 502, {@code credentials_rejected} the 503,
 *                  {@code never_fits} and {@code client_error} 400s, ...)
 * @param providers each provider refused requests tried, in configuration order: how many, and why
 * @param buckets   every bucket of the range, refused requests in it
 * @param reasons   the reasons, strongest first: a request counts under one of them for each provider it tried
 * @param note      how to read the figures, or why they are missing
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection(targets = {RefusalReport.class, RefusalReport.ProviderRefusals.class,
        RefusalReport.Bucket.class})
public record RefusalReport(String range, String zone, String bucket, long total, Map<String, Long> byAnswer,
                            List<ProviderRefusals> providers, List<Bucket> buckets, List<String> reasons,
                            String note) {

    /**
     * @param total    refused requests that tried this provider
     * @param byReason each reason (all of them, zeros included) → requests
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProviderRefusals(String name, long total, Map<String, Long> byReason) {
    }

    /**
     * @param start      ISO-8601 in the page's zone
     * @param total      requests refused in this bucket
     * @param byAnswer   those requests by answer
     * @param byProvider provider → reason → requests
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Bucket(String start, long total, Map<String, Long> byAnswer,
                         Map<String, Map<String, Long>> byProvider) {
    }
}
