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

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("freeway.demo.min-latency", "2ms", "freeway.demo.max-latency", "8ms",
                "freeway.demo.chunk-interval", "1ms");
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
