package dev.freeway.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.LinkedHashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Two OpenAI-compatible providers serving the same model {@code m1}, tried in this order for the bare id: {@code flaky}
 * (a {@link RawUpstream} that a test makes misbehave at the TCP level, with short timeouts and one call at a time)
 * and {@code steady} (a WireMock double that answers well); and {@code unreachable}, serving only {@code m-gone} at a
 * port nothing listens on. Added to {@link ProviderDoubles}' pool (which every
 * Quarkus test gets) for the classes that name it, counting in the same real Redis.
 */
public class FaultyUpstreams implements QuarkusTestResourceLifecycleManager {

    /** The flaky provider's key: long enough to be redacted wherever it is echoed. */
    public static final String FLAKY_KEY = "sk-flaky-0123456789abcdef0123456789";
    public static final String STEADY_KEY = "sk-steady-0123456789abcdef01234567";

    private static RawUpstream flaky;
    private static WireMockServer steady;

    public static RawUpstream flaky() {
        return flaky;
    }

    public static WireMockServer steady() {
        return steady;
    }

    public static RedisServer redis() {
        return ProviderDoubles.redis();
    }

    /** Forgets stubs, counters and circuit states. */
    public static void reset() {
        steady.resetAll();
        flaky.behave(null);
        Resp.command(redis().port(), "FLUSHALL");
        io.smallrye.faulttolerance.api.CircuitBreakerMaintenance.get().resetAll();
    }

    @Override
    public Map<String, String> start() {
        if (flaky == null) {
            flaky = new RawUpstream();
            steady = new WireMockServer(options().dynamicPort());
            steady.start();
        }
        Map<String, String> config = new LinkedHashMap<>();
        provider(config, "flaky", flaky.baseUrl(), "one", FLAKY_KEY);
        config.put("freeway.providers.flaky.timeout", "2s");
        config.put("freeway.providers.flaky.first-event-timeout", "1s");
        config.put("freeway.providers.flaky.idle-timeout", "1s");
        config.put("freeway.providers.flaky.guard.retries", "0");
        config.put("freeway.providers.flaky.guard.breaker-volume", "2");
        config.put("freeway.providers.flaky.guard.breaker-failure-ratio", "1.0");
        config.put("freeway.providers.flaky.accounts[0].limits[0].metric", "concurrent_requests");
        config.put("freeway.providers.flaky.accounts[0].limits[0].limit", "1");
        config.put("freeway.providers.flaky.accounts[0].limits[1].metric", "tokens");
        config.put("freeway.providers.flaky.accounts[0].limits[1].window", "day");
        config.put("freeway.providers.flaky.accounts[0].limits[1].limit", "1000000");
        provider(config, "steady", "http://localhost:" + steady.port() + "/v1", "two", STEADY_KEY);
        // a provider whose port nothing listens on, for its own model only: every call to it is refused
        provider(config, "unreachable", "http://127.0.0.1:" + closedPort() + "/v1", "three", STEADY_KEY, "m-gone");
        config.put("freeway.providers.unreachable.guard.retries", "0");
        config.put("freeway.providers.unreachable.accounts[0].limits[0].metric", "requests");
        config.put("freeway.providers.unreachable.accounts[0].limits[0].window", "day");
        config.put("freeway.providers.unreachable.accounts[0].limits[0].limit", "1000");
        return config;
    }

    private static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void provider(Map<String, String> config, String name, String url, String account, String key) {
        provider(config, name, url, account, key, "m1");
    }

    private static void provider(Map<String, String> config, String name, String url, String account, String key,
                                 String model) {
        config.put("freeway.providers." + name + ".type", "openai-compatible");
        config.put("freeway.providers." + name + ".base-url", url);
        config.put("freeway.providers." + name + ".models." + model + ".context-window", "32768");
        config.put("freeway.providers." + name + ".models." + model + ".max-output", "4096");
        config.put("freeway.providers." + name + ".accounts[0].id", account);
        config.put("freeway.providers." + name + ".accounts[0].api-key", key);
    }

    @Override
    public void stop() {
        // shared by every test class that uses it in this JVM
    }
}
