package dev.freeway.demo;

import dev.freeway.support.RedisTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * Freeway as a newcomer starts it: no provider account anywhere (the provider doubles, which configure accounts,
 * are left out), a real Redis, and the demo on by default; simulator latency shortened so tests run quickly.
 */
public class DemoProfile implements QuarkusTestProfile {

    private static final int FREE_PORT = freePort();

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        // the demo's providers are addressed at Freeway's own port, so it needs a fixed one (tests default to any)
        return Map.of("freeway.demo.min-latency", "2ms", "freeway.demo.max-latency", "8ms",
                "freeway.demo.chunk-interval", "1ms", "quarkus.http.test-port", String.valueOf(FREE_PORT));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RedisTestResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
