package dev.freeway.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
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

    /** Keys clients must send to chat and list models ({@code Authorization: Bearer <key>}); none = open. */
    Optional<List<String>> clientKeys();

    /** How long a dashboard login lasts before the key must be typed again. */
    @WithDefault("12h")
    Duration sessionDuration();
}
