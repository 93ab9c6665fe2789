package dev.freeway.cache;

import java.util.Locale;

/** What the cache did for one request: the {@code x-freeway-cache} answer header and the metric's label. */
public enum CacheResult {
    /** Served from the cache: no provider was called and no quota reserved. */
    HIT,
    /** Looked up and not found (or the lookup failed): routed, and the answer kept if it may be. */
    MISS,
    /** The cache took no part: asked to skip, or the request is not cacheable. */
    SKIP,
    /** Not looked up; routed, and the answer kept if it may be. */
    REFRESH;

    /** hit, miss, skip or refresh. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
