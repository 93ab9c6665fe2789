package dev.freeway.cache;

import dev.freeway.catalog.ModelSpec;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.provider.Usage;
import dev.freeway.routing.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the cache reports to Prometheus ({@code /q/metrics}); labels never hold request content or a client key.
 * <ul>
 *   <li>{@code freeway_cache_requests_total{endpoint,result}}: requests the cache took part in, by what it did (hit,
 *       miss, skip, refresh)</li>
 *   <li>{@code freeway_cache_saved_tokens_total{provider,model,direction}}: tokens hits did not spend (input,
 *       output), by the provider and model that served the kept answer</li>
 *   <li>{@code freeway_cache_saved_value_usd_total{provider,model}}: what those tokens cost at list price</li>
 *   <li>{@code freeway_cache_errors_total{operation}}: lookups and stores Redis did not answer (the request was
 *       routed as if nothing were kept)</li>
 * </ul>
 */
@ApplicationScoped
public class CacheMetrics {

    private final MeterRegistry registry;
    private final Pool pool;

    public CacheMetrics(MeterRegistry registry, Pool pool) {
        this.registry = registry;
        this.pool = pool;
    }

    void counted(Endpoint endpoint, CacheResult result) {
        Counter.builder("freeway.cache.requests").description("Requests the response cache took part in")
                .tags("endpoint", endpoint.label(), "result", result.label()).register(registry).increment();
    }

    void saved(CachedAnswer answer) {
        Usage usage = answer.usage();
        tokens(answer, "input", usage.promptTokens());
        tokens(answer, "output", usage.completionTokens());
        ModelSpec.Price price = price(pool, answer.provider(), answer.model());
        if (price != null) {
            Counter.builder("freeway.cache.saved.value.usd")
                    .description("List-price value of the tokens cache hits did not spend")
                    .tags("provider", answer.provider(), "model", answer.model()).register(registry)
                    .increment(worth(price, usage.promptTokens(), usage.completionTokens()));
        }
    }

    /** What the cache asked of Redis. */
    enum Operation {
        LOOKUP, STORE;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    void failed(Operation operation) {
        Counter.builder("freeway.cache.errors").description("Cache lookups and stores Redis did not answer")
                .tags("operation", operation.label()).register(registry).increment();
    }

    /** A model's list price, or null when the catalog has none (or the provider is no longer configured). */
    public static ModelSpec.Price price(Pool pool, String provider, String model) {
        return pool.provider(provider).map(ProviderPool::spec).flatMap(spec -> spec.model(model))
                .map(ModelSpec::price).orElse(null);
    }

    /** Input and output tokens, each at its own price per 1M. */
    public static double worth(ModelSpec.Price price, long input, long output) {
        return (input * price.inputPerMillion() + output * price.outputPerMillion()) / 1_000_000.0;
    }

    private void tokens(CachedAnswer answer, String direction, long tokens) {
        Counter.builder("freeway.cache.saved.tokens").description("Tokens cache hits did not spend")
                .tags("provider", answer.provider(), "model", answer.model(), "direction", direction)
                .register(registry).increment(tokens);
    }
}
