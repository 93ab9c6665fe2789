package dev.freeway.check;

import dev.freeway.api.responses.ResponsesConfig;
import dev.freeway.cache.CacheConfig;
import dev.freeway.config.FreewayConfig;
import dev.freeway.config.FreewayYamlSourceFactory;
import dev.freeway.demo.DemoConfig;
import dev.freeway.quota.QuotaConfig;
import dev.freeway.quota.RequestLogConfig;
import dev.freeway.security.SecurityConfig;
import dev.freeway.status.StatusConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SysPropConfigSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.Properties;

/**
 * Reads Freeway's configuration tree the way start-up does (application.properties, then the {@code FREEWAY_CONFIG}
 * YAML file, then environment variables and system properties) without starting Quarkus: no HTTP port, no Redis,
 * no embedded Redis. For checking a configuration before serving it.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * The configuration, its mappings ({@link FreewayConfig}, {@link StatusConfig}, ...) checked.
     *
     * @throws IllegalStateException when FREEWAY_CONFIG names an unreadable file
     * @throws RuntimeException      SmallRye's validation error when a key is unknown or a value cannot be read
     */
    public static SmallRyeConfig load() {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withProfile("prod")
                .withSources(applicationProperties())
                .withSources(new EnvConfigSource(System.getenv(), 300), new SysPropConfigSource())
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                // every freeway.* tree, so a misspelt key fails here as it fails start-up
                .withMapping(FreewayConfig.class).withMapping(SecurityConfig.class).withMapping(QuotaConfig.class)
                .withMapping(StatusConfig.class).withMapping(DemoConfig.class).withMapping(CacheConfig.class)
                .withMapping(RequestLogConfig.class).withMapping(ResponsesConfig.class);
        FreewayYamlSourceFactory.file().ifPresent(builder::withSources);
        return builder.build();
    }

    private static PropertiesConfigSource applicationProperties() {
        URL url = ConfigLoader.class.getResource("/application.properties");
        Properties properties = new Properties();
        if (url != null) {
            try (InputStream in = url.openStream()) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("application.properties cannot be read", e);
            }
        }
        return new PropertiesConfigSource(properties, "application.properties", 250);
    }
}
