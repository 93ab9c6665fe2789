package dev.freeway.demo;

import dev.freeway.catalog.CatalogReader;
import dev.freeway.config.FreewayConfig;
import dev.freeway.config.Pool;
import dev.freeway.config.PoolBuilder;
import dev.freeway.config.PoolProducer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The pool Freeway serves, built once at start-up so that a configuration mistake stops start-up instead of the first
 * request: the configured providers, with the demo's over them when the demo is on. It lives with the demo so that
 * configuration never needs to know the demo exists.
 */
@ApplicationScoped
public class ServedPool {

    @Produces
    @Singleton
    @Startup
    Pool pool(FreewayConfig config, DemoProviders demo) {
        Pool pool = demo.over(new PoolBuilder(CatalogReader.builtIn(),
                PoolBuilder.asWritten(ConfigProvider.getConfig())).build(config));
        PoolProducer.report(pool);
        return pool;
    }
}
