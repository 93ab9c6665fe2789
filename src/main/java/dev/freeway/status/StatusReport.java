package dev.freeway.status;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;
import java.util.Map;

/**
 * What {@code GET /v1/status} answers and the dashboard draws. Times are ISO-8601 with the offset of the provider's
 * reset zone (the zone its windows reset in); account ids, never keys.
 *
 * @param generatedAt when the report was made (UTC)
 * @param degraded    whether the quota store's last Redis call failed ({@code QuotaStore.degraded()})
 * @param quotaStore  "ok", or why this report could not read Redis (its usage figures are then null)
 * @param pool        every provider added up
 * @param providers   per configured provider with accounts, in configuration order
 * @param routing     where requests of each task would go now
 * @param value       list-price value of the tokens served today and this month
 * @param usage       the range asked for (today by default) on the page's one time axis: per provider and bucket,
 *                    calls counted, tokens, value, failed calls; per provider requests served, error rate and
 *                    latency percentiles
 * @param refusals    the same range: the requests clients were refused, by answer, and per provider by reason
 * @param cache       what the response cache answered today (in the report's zone) and what that saved
 * @param clients     each named client, by name: its own rules now and its figures over the range
 */
// Written by Jackson through reflection: a native image needs every record of the report registered.
@RegisterForReflection(targets = {
        StatusReport.class, StatusReport.Summary.class, StatusReport.ProviderStatus.class,
        StatusReport.AccountStatus.class, StatusReport.ModelStatus.class, StatusReport.RuleStatus.class,
        StatusReport.Parked.class, StatusReport.HourUsage.class, StatusReport.Counts.class,
        StatusReport.Routing.class, StatusReport.TaskRoute.class, StatusReport.ChainEntry.class,
        StatusReport.AccountReady.class, StatusReport.Skipped.class, StatusReport.FallbackStep.class,
        StatusReport.Value.class, StatusReport.ProviderValue.class, StatusReport.ModelValue.class,
        StatusReport.Price.class, RefusalReport.class, StatusReport.CacheReport.class, StatusReport.CacheSaved.class})
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StatusReport(String generatedAt, boolean degraded, String quotaStore, Summary pool,
                           List<ProviderStatus> providers, Routing routing, Value value, UsageReport usage,
                           RefusalReport refusals, CacheReport cache, List<ClientReport> clients) {

    /**
     * Requests today against the free daily request capacity (see {@link CapacityCalculator}), never mixed: only
     * requests on models that capacity counts are compared with it.
     *
     * @param dailyRequestCapacity free requests a day; null when no model has a free daily limit ("no daily limit")
     * @param usedToday            every call counted against the limits today: those served, and failed ones the
     *                             provider may have counted (as the limits count them; not the requests served)
     * @param usedWithinCapacity   requests today on models the capacity counts
     * @param remaining            capacity − used within it, never below 0; null without a capacity
     * @param percentUsed          used within / capacity; null without a capacity
     * @param usedOutsideCapacity  requests today on the other models
     * @param outsideCapacity      the models the capacity leaves out, each as "model: why" (no daily limit, paid
     *                             ceiling only, credit allowance not convertible)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Summary(int accounts, Long dailyRequestCapacity, long usedToday, long usedWithinCapacity,
                          Long remaining, Double percentUsed, long usedOutsideCapacity, List<String> outsideCapacity) {
    }

    /**
     * @param demo        whether it is a demo provider (its name starts with {@code demo-}): shown with a badge
     * @param circuit     closed, open or half_open
     * @param usageToday  each hour of today in the provider's zone, up to now
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProviderStatus(String name, String displayName, boolean demo, String resetZone, String circuit,
                                 Summary summary, List<AccountStatus> accounts, List<HourUsage> usageToday) {
    }

    /**
     * @param credentials "ok", or "rejected" while the account is parked because the provider refused its key
     * @param parked      the whole account's parking, or null
     * @param rules       account-wide rules (shared by all its models)
     * @param models      each model with rules of its own, or parked on its own
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AccountStatus(String id, String credentials, Parked parked, List<RuleStatus> rules,
                                List<ModelStatus> models) {
    }

    /** @param parked this model's own parking at this account, or null */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ModelStatus(String model, Parked parked, List<RuleStatus> rules) {
    }

    /**
     * One limit rule now.
     *
     * @param window    minute, hour, day, month, "rolling 60s", grant, or concurrent
     * @param used      counted in the current window; null when Redis could not be read
     * @param remaining limit − used, never below 0; null with used
     * @param resetsAt  when the current window ends; null for rolling windows (they free continuously), grants and
     *                  concurrency caps
     * @param expires   a grant's last day, when known
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RuleStatus(String metric, String window, long limit, Long used, Long remaining, Double percentUsed,
                             String resetsAt, String expires) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Parked(String until, String reason) {
    }

    /** One hour of the usage ledger: the provider's totals and each account's. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record HourUsage(String hour, Counts total, Map<String, Counts> byAccount) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Counts(long requests, long inputTokens, long outputTokens, long fallbacks, long errors) {
    }

    /**
     * @param tasks         each task's candidate chain now
     * @param fallbackChain the providers tried after a task's own candidates
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Routing(List<TaskRoute> tasks, List<FallbackStep> fallbackChain) {
    }

    /**
     * Where a small request of this task ({@code model: auto:<task>}) would go, in order.
     *
     * @param chain   candidates left after context, capability, preservation, schedule and open circuits
     * @param skipped candidates left out, and why
     * @param reason  why the chain is empty, when it is
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TaskRoute(String task, List<ChainEntry> chain, List<Skipped> skipped, String reason) {
    }

    /** @param ready whether any of its accounts has room now (not parked, no rule full) */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ChainEntry(String candidate, boolean ready, List<AccountReady> accounts) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record AccountReady(String account, boolean ready, String reason, String until) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Skipped(String candidate, String reason) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record FallbackStep(String provider, boolean configured, String circuit) {
    }

    /**
     * Tokens served × each model's list price per 1M tokens (input and output priced apart), today and this month in
     * each provider's zone.
     *
     * @param unpriced models that served tokens but have no list price in the catalog
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Value(String currency, double today, double month, List<ProviderValue> providers,
                        List<String> unpriced) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProviderValue(String name, double today, double month, List<ModelValue> models) {
    }

    /**
     * @param price list price per 1M tokens and its date, or null when the catalog has none
     * @param note  why there is no value, when there is none
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ModelValue(String model, Counts today, Counts month, Price price, Double valueToday,
                             Double valueMonth, String note) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Price(double inputPerMillion, double outputPerMillion, String asOf) {
    }

    /**
     * The exact-match response cache today: lookups that found a kept answer and those that did not, and what the
     * hits saved — upstream calls not made, the tokens they would have used (as each original call was settled) and
     * their value at list prices. A hit reserves nothing, so none of this is in the providers' usage above.
     *
     * @param enabled          whether every cacheable request takes part ({@code freeway.cache.enabled}); when false
     *                         only requests sending {@code x-freeway-cache: use} do
     * @param shared           whether all clients share one cache ({@code freeway.cache.shared})
     * @param day              the day counted, in the report's zone
     * @param hits             null, like every figure here, when Redis could not be read ({@code error} says why)
     * @param hitRate          hits / (hits + misses); null without lookups
     * @param savedValueUsd    list-price value of the saved tokens; models without a price count 0 and are named
     *                         in {@code unpriced}
     * @param models           per provider and model that served the kept answers
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CacheReport(boolean enabled, boolean shared, String day, Long hits, Long misses, Double hitRate,
                              Long savedRequests, Long savedInputTokens, Long savedOutputTokens, Double savedValueUsd,
                              List<CacheSaved> models, List<String> unpriced, String error) {
    }

    /** @param valueUsd null when the catalog has no list price for the model */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CacheSaved(String provider, String model, long requests, long inputTokens, long outputTokens,
                             Double valueUsd) {
    }
}
