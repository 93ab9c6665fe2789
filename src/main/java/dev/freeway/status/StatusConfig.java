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
}
