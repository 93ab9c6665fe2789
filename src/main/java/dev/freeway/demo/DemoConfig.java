package dev.freeway.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The built-in demo providers ({@code freeway.demo.*}): local simulators served when no account is configured. */
@ConfigMapping(prefix = "freeway.demo")
public interface DemoConfig {

    /**
     * {@code auto} (default): on when no provider has an account and Freeway runs in dev or test mode or listens on a
     * local address only, never in the {@code lambda} profile or a native image. {@code true}: on whenever no
     * provider has an account. {@code false}: never. Configured accounts always switch the demo off.
     */
    @WithDefault("auto")
    DemoActivation.Setting enabled();

    /** Shortest time a simulator takes to answer (before the first byte, when streaming). */
    @WithDefault("150ms")
    Duration minLatency();

    /** Longest such time; each answer's latency lies between the two, from a fixed-seed sequence. */
    @WithDefault("600ms")
    Duration maxLatency();

    /** Pause between two streamed chunks, as a model generating tokens would make. */
    @WithDefault("30ms")
    Duration chunkInterval();
}
