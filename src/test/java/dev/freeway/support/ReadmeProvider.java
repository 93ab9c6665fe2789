package dev.freeway.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.LinkedHashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The pool a newcomer writes from the README: one OpenAI-compatible server ({@code local-vllm}) whose model is given
 * only its context window, here a WireMock double, and a real Redis.
 */
public class ReadmeProvider implements QuarkusTestResourceLifecycleManager {

    public static final String PATH = "/vllm/v1";
    private static WireMockServer server;
    private RedisServer redis;

    public static WireMockServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        redis = RedisServer.start();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.redis.hosts", redis.uri());
        config.put("freeway.quota.embedded-redis", "false");
        config.put("freeway.security.admin-key", ProviderDoubles.ADMIN_KEY);
        config.put("freeway.providers.local-vllm.type", "openai-compatible");
        config.put("freeway.providers.local-vllm.base-url", "http://localhost:" + server.port() + PATH);
        config.put("freeway.providers.local-vllm.models.qwen3-8b.context-window", "32768");
        config.put("freeway.providers.local-vllm.accounts[0].id", "lab");
        config.put("freeway.providers.local-vllm.accounts[0].api-key", "none");
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
