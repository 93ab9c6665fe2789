package dev.freeway.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.source.yaml.YamlConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads the YAML file named by the environment variable (or system property) {@code FREEWAY_CONFIG}. It ranks above
 * application.properties and below environment variables, so one variable can still override one setting.
 */
public class FreewayYamlSourceFactory implements ConfigSourceFactory {

    static final int ORDINAL = 260;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return file().map(List::of).orElse(List.of());
    }

    /**
     * The file as a config source, or none when {@code FREEWAY_CONFIG} is unset. Public for other config source
     * factories: a factory does not see the sources other factories make, this one's included.
     */
    public static Optional<ConfigSource> file() {
        String location = System.getProperty("FREEWAY_CONFIG", System.getenv("FREEWAY_CONFIG"));
        if (location == null || location.isBlank()) {
            return Optional.empty();
        }
        Path file = Path.of(location.trim());
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("FREEWAY_CONFIG names " + file.toAbsolutePath()
                    + ", which cannot be read: point FREEWAY_CONFIG at an existing YAML file, or unset it");
        }
        try {
            return Optional.of(new YamlConfigSource(file.toUri().toURL(), ORDINAL));
        } catch (IOException e) {
            throw new UncheckedIOException("FREEWAY_CONFIG file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
    }
}
