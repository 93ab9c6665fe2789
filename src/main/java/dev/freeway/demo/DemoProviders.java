package dev.freeway.demo;

import dev.freeway.catalog.CatalogReader;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.config.Account;
import dev.freeway.config.Credential;
import dev.freeway.config.FreewayConfig;
import dev.freeway.config.GuardSettings;
import dev.freeway.config.LoadBalancing;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in demo providers: catalog entries ({@code catalog/demo.yaml}) whose base URLs point at the simulators
 * Freeway serves itself, each with one demo account. They join the pool only when {@link DemoActivation} says so,
 * which is never while a real account is configured.
 */
@ApplicationScoped
public class DemoProviders {

    /** Where the demo catalog lives on the class path. */
    public static final String CATALOG = "/catalog/demo.yaml";
    /** Every demo provider's name starts with this; status and dashboard badge them by it ({@link #isDemo}). */
    public static final String PREFIX = "demo-";
    /** The response header that marks an answer as coming from the demo. */
    public static final String HEADER = "x-freeway-demo";

    private static final Logger LOG = Logger.getLogger(DemoProviders.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final DemoActivation activation;
    private final String origin;
    private final boolean loopback;

    @Inject
    public DemoProviders(FreewayConfig config, DemoConfig demo) {
        this(DemoActivation.decide(demo.enabled(), currentRun(config)), ownOrigin(),
                DemoActivation.isLocal(httpHost()));
    }

    DemoProviders(DemoActivation activation, String origin) {
        this(activation, origin, false);
    }

    DemoProviders(DemoActivation activation, String origin, boolean loopback) {
        this.activation = activation;
        this.origin = origin;
        this.loopback = loopback;
    }

    /** Whether a provider is one of the demo's: the dashboard marks them so nobody mistakes them for real quota. */
    public static boolean isDemo(ProviderPool provider) {
        return provider.name().startsWith(PREFIX) || provider.spec().id().startsWith(PREFIX);
    }

    public boolean active() {
        return activation.active();
    }

    /** Whether the demo serves and Freeway listens on a loopback address only: nobody else can reach it. */
    public boolean onLoopbackOnly() {
        return activation.active() && loopback;
    }

    /** The configured pool, with the demo providers added when the demo is on. */
    public Pool over(Pool configured) {
        if (!activation.active()) {
            if (configured.isEmpty()) {
                LOG.warnf("No provider accounts configured and no demo providers (%s): every request will fail until"
                        + " an account is configured (see README, Configuration).", activation.reason());
            }
            return configured;
        }
        Map<String, ProviderPool> providers = new LinkedHashMap<>(configured.providers());
        providers.putAll(pools(origin));
        LOG.warnf("No provider accounts configured: serving from DEMO providers %s, simulators inside Freeway at %s/demo"
                        + " (%s). Their answers are generated locally, not by a model. Configure an account to use real"
                        + " providers; freeway.demo.enabled=false turns this off.",
                providers.keySet().stream().filter(n -> n.startsWith(PREFIX)).toList(), origin, activation.reason());
        return configured.withProviders(Collections.unmodifiableMap(providers));
    }

    /**
     * The demo accounts' key, new in every process: the simulators answer only Freeway, as a provider answers only
     * its keys, so nobody reaching the port spends the simulated quotas the demo pool routes on.
     */
    static final String KEY = "demo-" + java.util.HexFormat.of().formatHex(randomBytes());

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** One pool entry per demo provider, its base URL on {@code origin}, each with one account. */
    static Map<String, ProviderPool> pools(String origin) {
        Map<String, ProviderPool> pools = new LinkedHashMap<>();
        for (ProviderSpec entry : catalog().values()) {
            ProviderSpec spec = entry.toBuilder().baseUrl(origin + URI.create(entry.baseUrl()).getRawPath()).build();
            Account account = new Account(spec.id(), "demo", List.of(new Credential(KEY)), List.of());
            pools.put(spec.id(), new ProviderPool(spec.id(), spec, LoadBalancing.ROUND_ROBIN, List.of(account), TIMEOUT,
                    false, GuardSettings.DEFAULTS));
        }
        return pools;
    }

    static Map<String, ProviderSpec> catalog() {
        try (InputStream yaml = DemoProviders.class.getResourceAsStream(CATALOG)) {
            if (yaml == null) {
                throw new IllegalStateException("the demo catalog " + CATALOG + " is missing from the class path");
            }
            return CatalogReader.read(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("the demo catalog " + CATALOG + " could not be read", e);
        }
    }

    private static DemoActivation.Run currentRun(FreewayConfig config) {
        boolean accounts = config.providers().values().stream()
                .anyMatch(p -> p.accounts().map(list -> !list.isEmpty()).orElse(false));
        LaunchMode mode = LaunchMode.current();
        boolean lambda = ConfigUtils.getProfiles().contains("lambda") || System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null;
        return new DemoActivation.Run(accounts, mode.isDevOrTest(), lambda, ImageMode.current() == ImageMode.NATIVE_RUN,
                httpHost(), httpPort());
    }

    /** Freeway's own address as its HTTP client reaches it: a wildcard bind is reached on the loopback address. */
    static String ownOrigin() {
        String host = httpHost();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + httpPort();
    }

    private static String httpHost() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.http.host", String.class)
                .orElse(LaunchMode.current().isDevOrTest() ? "localhost" : "0.0.0.0");
    }

    private static int httpPort() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        int fallback = LaunchMode.current() == LaunchMode.TEST ? 8081 : 8080;
        return ConfigProvider.getConfig().getOptionalValue(key, Integer.class).orElse(fallback);
    }
}
