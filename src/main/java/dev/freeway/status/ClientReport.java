package dev.freeway.status;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * One named client in {@code GET /v1/status}: its own limit rules now (as an account's are shown; its windows count
 * in UTC) and what it did over the report's range. Its name, never its key.
 *
 * @param name  the client's name in configuration
 * @param rules each of its limit rules: used, limit, remaining, resets at; empty for a client without rules
 * @param usage over the report's range; null when the quota store could not be read
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection(targets = {ClientReport.class, ClientReport.Usage.class})
public record ClientReport(String name, List<StatusReport.RuleStatus> rules, Usage usage) {

    /**
     * @param range        today, 7d or 30d, as the report's usage
     * @param zone         the zone the range is cut in
     * @param served       requests served
     * @param refused      requests refused after routing began: by its own limit, what it may ask for, or the pool
     * @param inputTokens  prompt tokens of the requests served
     * @param outputTokens completion tokens of the requests served
     * @param valueUsd     those tokens at each serving model's list price
     * @param unpriced     models that served it without a list price in the catalog (counted as $0)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Usage(String range, String zone, long served, long refused, long inputTokens, long outputTokens,
                        double valueUsd, List<String> unpriced) {
    }
}
