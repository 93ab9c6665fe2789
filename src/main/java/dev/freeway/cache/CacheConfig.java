package dev.freeway.cache;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The exact-match response cache ({@code freeway.cache.*}). Off by default; a request may opt in, opt out or refresh
 * with the {@code x-freeway-cache} header (see {@link CacheMode}).
 */
@ConfigMapping(prefix = "freeway.cache")
public interface CacheConfig {

    /**
     * Whether every cacheable request is looked up and its answer kept. Off by default: an answer served twice is
     * only right when the client wants it so; with it off, {@code x-freeway-cache: use} opts one request in.
     */
    @WithDefault("false")
    boolean enabled();

    /** How long a kept answer is served from the cache. */
    @WithDefault("1h")
    Duration ttl();

    /**
     * Most bytes of kept answers per scope (one client key, or everyone when shared); a new answer that needs room
     * evicts the scope's oldest first, so the cache never grows Redis beyond scopes × this.
     */
    @WithDefault("16M")
    MemorySize maxBytes();

    /**
     * Whether only deterministic requests are cached: temperature 0, or a seed. With false, any request is (the
     * first answer to it is then served again for the TTL, however the model would have varied).
     */
    @WithDefault("true")
    boolean deterministicOnly();

    /**
     * Whether answers that call tools are kept. Off by default: a tool call usually acts on the world (a search, a
     * file read), and the same call answered again from the cache would skip what it should have done.
     */
    @WithDefault("false")
    boolean toolCalls();

    /**
     * Whether all clients share one cache. Off by default: each client key has its own, so one client never
     * receives an answer another's prompt produced.
     */
    @WithDefault("false")
    boolean shared();
}
