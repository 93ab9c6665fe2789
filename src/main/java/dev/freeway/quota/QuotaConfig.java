package dev.freeway.quota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Settings of the quota engine ({@code freeway.quota.*}). The Redis connection itself is Quarkus's
 * ({@code quarkus.redis.hosts}, {@code quarkus.redis.client-type=cluster}, {@code quarkus.redis.password},
 * {@code quarkus.redis.tls.*}).
 */
@ConfigMapping(prefix = "freeway.quota")
public interface QuotaConfig {

    /**
     * What reserve does when Redis cannot be reached in time.
     *
     * <p>Default {@code fail-closed}: counting exactly is the promise Freeway makes (no overshoot, even across
     * processes), and without Redis there are no counters, no parked accounts and no leases, so a fail-open gateway
     * would send every call upstream blind, straight into providers that already said "exhausted" and, for paid or
     * credit accounts, spend money no rule allowed. A 503 that names the cause is visible at once and clears itself
     * when Redis returns. Operators who prefer answers over exactness choose {@code fail-open}: calls are then
     * served and counted nowhere, and logs and status say "degraded".
     */
    @WithDefault("fail-closed")
    RedisFailureMode redisFailureMode();

    /** Longest wait for one Redis call; after it the call counts as Redis being unreachable. */
    @WithDefault("1s")
    Duration redisTimeout();

    /** Output tokens reserved when a request sets neither max_tokens nor max_completion_tokens. */
    @WithDefault("1024")
    int defaultMaxOutputTokens();

    /**
     * How long a concurrency lease lives when it is never settled (the process died). Longer than the longest
     * completion; a stream keeps its lease alive while it runs. A shorter value frees a dead process's slot sooner.
     */
    @WithDefault("300")
    int leaseSeconds();

    /** Days the hourly usage ledger is kept. */
    @WithDefault("35")
    int ledgerDays();

    /**
     * Whether Freeway may start its own redis-server on a free loopback port when {@code quarkus.redis.hosts} is not
     * set. Turn it off in every deployed profile (Lambda, Knative): there, a missing Redis is a configuration error.
     */
    @WithDefault("true")
    boolean embeddedRedis();
}
