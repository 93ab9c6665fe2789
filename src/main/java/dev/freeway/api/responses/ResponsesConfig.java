package dev.freeway.api.responses;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Stored Responses ({@code freeway.responses.*}): how long they are kept and how much each client may keep. */
@ConfigMapping(prefix = "freeway.responses")
public interface ResponsesConfig {

    /** How long a stored response can be fetched or continued with previous_response_id. */
    @WithDefault("1d")
    Duration ttl();

    /**
     * Most bytes of stored responses per client key (all keys of one client live in one Redis slot, so the cap is
     * counted per client); the oldest responses go first when a new one needs room.
     */
    @WithDefault("32M")
    MemorySize maxBytes();
}
