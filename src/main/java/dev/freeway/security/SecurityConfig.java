package dev.freeway.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use which endpoint ({@code freeway.security.*}). Admin endpoints (status, capacity, dashboard, metrics) need
 * the admin key; the OpenAI surface (chat, models) needs a client key once any is configured; health stays open.
 * Keys may be written raw or as {@code sha256:<hex>} of the key, so configuration need not hold the key itself.
 */
@ConfigMapping(prefix = "freeway.security")
public interface SecurityConfig {

    /**
     * The admin key, sent as {@code Authorization: Bearer <key>} or {@code x-freeway-admin-key}, or typed once into
     * {@code /dashboard/login}. Without it (and without {@link #openAdmin()}) admin endpoints answer 401.
     */
    Optional<String> adminKey();

    /** Opens admin endpoints to anyone who can reach them: for a gateway on localhost only. Logged as a warning. */
    @WithDefault("false")
    boolean openAdmin();

    /**
     * Keys clients must send to every front door ({@code Authorization: Bearer <key>}, or {@code x-api-key}); none =
     * open. The short form of {@link #clients()}: keys without names or limits.
     */
    Optional<List<String>> clientKeys();

    /**
     * Named clients (a teammate, an app): each with its key and optionally its own limit rules, written like an
     * account's, and the models and tasks it may ask for. A client over its own limit gets a 429 for its own window;
     * the pool's other clients are not affected.
     */
    Map<String, ClientConfig> clients();

    /** One named client. */
    interface ClientConfig {

        /** Its key, raw or {@code sha256:<hex>}. */
        String key();

        /** Its own limit rules (metric, window, limit; for the whole client: per-model is not allowed). */
        Optional<List<dev.freeway.config.FreewayConfig.LimitConfig>> limits();

        /**
         * What it may use: {@code provider/model}, {@code provider} (any of its models) or {@code auto} (whatever
         * Freeway picks for a request that asks for {@code auto}).
         */
        Optional<List<String>> models();

        /** The tasks it may ask for (coding, reasoning, simple, creative, max_context); none = all. */
        Optional<List<String>> tasks();
    }

    /** How long a dashboard login lasts before the key must be typed again. */
    @WithDefault("12h")
    Duration sessionDuration();
}
