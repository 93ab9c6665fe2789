package dev.freeway.quota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** What Freeway keeps of recent requests ({@code freeway.requests.*}), for the operator's view. */
@ConfigMapping(prefix = "freeway.requests")
public interface RequestLogConfig {

    /** Requests kept per account (and for the requests no account served); the oldest go first. */
    @WithDefault("500")
    int keep();

    /** How long a quiet account's recent requests are kept. */
    @WithDefault("2d")
    Duration keepFor();

    /** Whether the prompt's last message and the answer are kept too (cut to 2,000 characters each). */
    @WithDefault("false")
    boolean keepContent();
}
