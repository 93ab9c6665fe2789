package dev.freeway.cache;

import java.util.Locale;
import java.util.Optional;

/** What a request asks of the cache in its {@code x-freeway-cache} header. */
public enum CacheMode {
    /** No header: the cache takes part when {@code freeway.cache.enabled} is on. */
    DEFAULT,
    /** Look up, and keep the answer; opts this request in when the cache is off by configuration. */
    USE,
    /** Neither look up nor keep. */
    SKIP,
    /** Do not look up, but keep the fresh answer (it replaces the kept one). */
    REFRESH;

    /** The request header's name. */
    public static final String HEADER = "x-freeway-cache";

    /** The mode a header value names; DEFAULT when absent; empty for a value that names none. */
    public static Optional<CacheMode> parse(String header) {
        if (header == null || header.isBlank()) {
            return Optional.of(DEFAULT);
        }
        return switch (header.trim().toLowerCase(Locale.ROOT)) {
            case "use" -> Optional.of(USE);
            case "skip" -> Optional.of(SKIP);
            case "refresh" -> Optional.of(REFRESH);
            default -> Optional.empty();
        };
    }
}
