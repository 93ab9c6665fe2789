package dev.freeway.support;

import dev.freeway.catalog.CatalogReader;
import dev.freeway.config.FreewayConfig;
import dev.freeway.config.Pool;
import dev.freeway.config.PoolBuilder;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/** Freeway's configuration read from YAML exactly as the application reads it, without starting Quarkus. */
public final class ConfigFixture {

    /** Each mapping's configuration, so a pool can read values as written. */
    private static final Map<FreewayConfig, SmallRyeConfig> SOURCES = Collections.synchronizedMap(new WeakHashMap<>());

    private ConfigFixture() {
    }

    public static FreewayConfig config(String yaml) {
        return config(yaml, Map.of());
    }

    public static FreewayConfig config(String yaml, Map<String, String> env) {
        try {
            Path file = Files.createTempFile("freeway", ".yaml");
            Files.writeString(file, yaml);
            SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                    .withSources(new YamlConfigSource(file.toUri().toURL(), 260))
                    .withSources(new EnvConfigSource(env, 300))
                    .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                    .withConverter(Duration.class, 100, new DurationConverter())
                    .withMapping(FreewayConfig.class)
                    .build();
            Files.deleteIfExists(file);
            FreewayConfig mapping = config.getConfigMapping(FreewayConfig.class);
            SOURCES.put(mapping, config);
            return mapping;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pool start-up would build, values as written (for naming an unset ${VARIABLE}) read from its sources. */
    public static Pool pool(FreewayConfig config) {
        SmallRyeConfig sources = SOURCES.get(config);
        return (sources == null ? new PoolBuilder(CatalogReader.builtIn())
                : new PoolBuilder(CatalogReader.builtIn(), PoolBuilder.asWritten(sources))).build(config);
    }
}
