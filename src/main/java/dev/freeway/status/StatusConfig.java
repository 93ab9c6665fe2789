package dev.freeway.status;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of status and metrics ({@code freeway.status.*}). */
@ConfigMapping(prefix = "freeway.status")
public interface StatusConfig {

    /**
     * How long Prometheus scrapes reuse the quota gauges' last Redis reading: scrapes closer together than this cost
     * no Redis call. One scrape reads every gauge, so keep it above the time a scrape takes.
     */
    @WithDefault("10s")
    Duration metricsRefresh();

    /**
     * Input tokens of the typical request the capacity report's value estimate assumes: free capacity is worth its
     * requests × this request at list price, never more tokens than the rules admit.
     */
    @WithDefault("1500")
    long typicalRequestInputTokens();

    /** Output tokens of that typical request. */
    @WithDefault("500")
    long typicalRequestOutputTokens();
}
