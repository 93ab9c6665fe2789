package dev.freeway.cache;

/**
 * Whose kept answers these are: one client key's (a tag derived from its digest, never the key), {@code anonymous}
 * when the gateway has no client keys, or {@code shared} when {@code freeway.cache.shared} is on. Every Redis key of
 * a scope starts with {@code fw:{cache:<scope>}:}, so a scope lives in one cluster slot and has its own byte cap.
 *
 * @param value hex digits, {@code anonymous} or {@code shared}; safe inside a Redis hash tag
 */
public record CacheScope(String value) {

    public static final CacheScope ANONYMOUS = new CacheScope("anonymous");
    public static final CacheScope SHARED = new CacheScope("shared");

    public CacheScope {
        if (value == null || value.isBlank() || value.indexOf('{') >= 0 || value.indexOf('}') >= 0) {
            throw new IllegalArgumentException("not a cache scope: " + value);
        }
    }

    /** The prefix of every key of this scope. */
    String prefix() {
        return "fw:{cache:" + value + "}:";
    }
}
