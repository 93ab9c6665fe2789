package dev.freeway.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Starts a real redis-server for a @QuarkusTest and points quarkus.redis.hosts at it. */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private RedisServer redis;

    @Override
    public Map<String, String> start() {
        redis = RedisServer.start();
        return Map.of("quarkus.redis.hosts", redis.uri(), "freeway.quota.embedded-redis", "false");
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
        }
    }
}
