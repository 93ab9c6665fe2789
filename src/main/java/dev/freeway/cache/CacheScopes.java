package dev.freeway.cache;

import dev.freeway.security.AccessPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;

/**
 * Which scope a request's answers are kept in, and every scope there can be (so status can add them up without
 * listing Redis keys): one per configured client key, derived from the digest Freeway keeps of it, so the same key
 * written raw or as {@code sha256:} is one scope.
 */
@ApplicationScoped
public class CacheScopes {

    /** Separates the cache's tags from any other use of the key digests. */
    static final String DOMAIN = "freeway-cache";

    private final AccessPolicy access;
    private final boolean shared;

    @Inject
    public CacheScopes(AccessPolicy access, CacheConfig config) {
        this(access, config.shared());
    }

    public CacheScopes(AccessPolicy access, boolean shared) {
        this.access = access;
        this.shared = shared;
    }

    /**
     * The scope of a request that presented this client key (null when it presented none); empty when the gateway
     * has client keys and this is none of them (the access filter refuses such requests; the cache never pools them).
     */
    public Optional<CacheScope> of(String presentedKey) {
        if (shared) {
            return Optional.of(CacheScope.SHARED);
        }
        if (!access.clientKeysConfigured()) {
            return Optional.of(CacheScope.ANONYMOUS);
        }
        return access.clientKeyTag(presentedKey, DOMAIN).map(CacheScope::new);
    }

    /** Every scope a request can be in with this configuration. */
    public List<CacheScope> all() {
        if (shared) {
            return List.of(CacheScope.SHARED);
        }
        if (!access.clientKeysConfigured()) {
            return List.of(CacheScope.ANONYMOUS);
        }
        return access.clientKeyTags(DOMAIN).stream().map(CacheScope::new).toList();
    }
}
