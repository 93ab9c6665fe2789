package dev.freeway.cache;

import dev.freeway.config.Pool;
import dev.freeway.routing.RouteRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides what the cache does for one request — from {@code freeway.cache.enabled}, the request's
 * {@code x-freeway-cache} mode and whether it is cacheable — and hands the door a {@link CacheTurn} that does it.
 *
 * <table>
 *   <caption>what each mode does</caption>
 *   <tr><th>mode</th><th>cache on</th><th>cache off (the default)</th></tr>
 *   <tr><td>no header</td><td>look up; keep</td><td>nothing (no answer header)</td></tr>
 *   <tr><td>{@code use}</td><td>look up; keep</td><td>look up; keep</td></tr>
 *   <tr><td>{@code refresh}</td><td>keep</td><td>keep</td></tr>
 *   <tr><td>{@code skip}</td><td>nothing</td><td>nothing</td></tr>
 * </table>
 * A request that is not cacheable (see {@link Cacheability}) is answered with {@code skip} whatever it asked.
 */
@ApplicationScoped
public class CacheGate {

    private static final Logger LOG = Logger.getLogger(CacheGate.class);

    final ResponseCache cache;
    final CacheMetrics metrics;
    final Cacheability rules;
    private final Pool pool;
    private final boolean enabled;

    @Inject
    public CacheGate(ResponseCache cache, CacheMetrics metrics, Pool pool, CacheConfig config) {
        this(cache, metrics, pool, config.enabled(), new Cacheability(config.deterministicOnly(), config.toolCalls()));
    }

    CacheGate(ResponseCache cache, CacheMetrics metrics, Pool pool, boolean enabled, Cacheability rules) {
        this.cache = cache;
        this.metrics = metrics;
        this.pool = pool;
        this.enabled = enabled;
        this.rules = rules;
    }

    /** Whether every cacheable request takes part without asking. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * @param scopeOfTheKey whose answers the request may see (asked only when the cache takes part); empty when it
     *                      may see none (then nothing is looked up or kept)
     */
    public CacheTurn turn(RouteRequest route, CacheMode mode, Supplier<Optional<CacheScope>> scopeOfTheKey) {
        if (mode == CacheMode.DEFAULT && !enabled) {
            return CacheTurn.OFF; // the default: not even the key's scope (its digests) is worked out
        }
        Optional<CacheScope> scope = scopeOfTheKey.get();
        if (mode == CacheMode.SKIP) {
            return skipped(route, "the request asked to skip it");
        }
        Optional<String> whyNot = scope.isEmpty() ? Optional.of("the client key has no scope") : rules.whyNot(route);
        if (whyNot.isPresent()) {
            return skipped(route, whyNot.get());
        }
        String key = CacheKey.of(route, pool);
        if (mode == CacheMode.REFRESH) {
            metrics.counted(route.endpoint(), CacheResult.REFRESH);
            return new CacheTurn(this, route, scope.get(), key, false);
        }
        return new CacheTurn(this, route, scope.get(), key, true);
    }

    private CacheTurn skipped(RouteRequest route, String why) {
        LOG.debugf("Cache skipped for a %s request: %s", route.endpoint().label(), why);
        metrics.counted(route.endpoint(), CacheResult.SKIP);
        return CacheTurn.SKIPPED;
    }
}
