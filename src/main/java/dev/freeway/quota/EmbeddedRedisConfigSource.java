package dev.freeway.quota;

import dev.freeway.config.FreewayYamlSourceFactory;
import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The local default: when {@code quarkus.redis.hosts} is not set, starts a redis-server on a free loopback port and
 * supplies {@code quarkus.redis.hosts} for it, before the Redis client reads its configuration. A config source
 * rather than a startup bean because the client is configured from config at runtime init, earlier than any bean.
 *
 * <p>Skipped when Redis is configured (in the FREEWAY_CONFIG file too), when
 * {@code freeway.quota.embedded-redis=false}, and inside AWS Lambda or Knative (their environment variables say so),
 * where a private in-process Redis would silently give every instance its own counters. One server per JVM, stopped
 * by a shutdown hook.
 */
public class EmbeddedRedisConfigSource implements ConfigSourceFactory {

    private static final Logger LOG = Logger.getLogger(EmbeddedRedisConfigSource.class);
    /** Below application.properties (250), so a value from any file, variable or property wins. */
    private static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!wanted(context)) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(Map.of("quarkus.redis.hosts", Shared.uri()), "freeway-embedded-redis", ORDINAL));
    }

    private static boolean wanted(ConfigSourceContext context) {
        return applicationStarting()
                && !configured(context, "quarkus.redis.hosts")
                && !configured(context, "quarkus.redis.hosts-provider-name")
                && !"false".equalsIgnoreCase(value(context, "freeway.quota.embedded-redis"))
                && System.getenv("AWS_LAMBDA_FUNCTION_NAME") == null
                && System.getenv("K_SERVICE") == null;
    }

    /**
     * Only while a Quarkus application starts its runtime: the same factory is also consulted when the build reads
     * configuration, and by any plain JVM on this classpath that touches MicroProfile Config (tools, tests' child
     * processes), none of which may start a server.
     */
    private static boolean applicationStarting() {
        ExecutionMode mode = ExecutionMode.current();
        return mode == ExecutionMode.RUNTIME_INIT || mode == ExecutionMode.RUNNING;
    }

    private static boolean configured(ConfigSourceContext context, String name) {
        String value = value(context, name);
        return value != null && !value.isBlank();
    }

    /** From the sources the context sees, else from the FREEWAY_CONFIG file, which it does not (another factory's). */
    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        if (value != null && value.getValue() != null) {
            return value.getValue();
        }
        return FreewayYamlSourceFactory.file().map(file -> file.getValue(name)).orElse(null);
    }

    /**
     * Config is built more than once per JVM (static and runtime init, test restarts, dev-mode reloads), and dev mode
     * reloads this class in a fresh class loader, so the running server's port is kept in a system property, which
     * outlives class loaders: one server per JVM, and counters survive a live reload.
     */
    private static final class Shared {
        private static final String PORT_PROPERTY = "dev.freeway.embedded-redis-port";

        static synchronized String uri() {
            String port = System.getProperty(PORT_PROPERTY);
            if (port != null && EmbeddedRedis.answersPing(Integer.parseInt(port))) {
                return "redis://127.0.0.1:" + port;
            }
            EmbeddedRedis started;
            try {
                started = EmbeddedRedis.startOnFreePort(List.of(), false);
            } catch (IOException e) {
                throw new UncheckedIOException("quarkus.redis.hosts is not set and the embedded Redis could not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "embedded-redis-stop"));
            System.setProperty(PORT_PROPERTY, Integer.toString(started.port()));
            LOG.infof("Started embedded Redis (%s) because quarkus.redis.hosts is not set; its counters live only "
                    + "as long as this process. Set quarkus.redis.hosts to share quotas between processes.", started);
            return started.uri();
        }
    }
}
