package dev.freeway.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A real Redis, and one WireMock server standing in for every provider, each under its own path prefix, and the configuration that
 * points Freeway's providers and accounts at it. Tests stub answers with the bodies, headers and stream format the
 * real providers send (see shared/reference/providers.yaml).
 */
public class ProviderDoubles implements QuarkusTestResourceLifecycleManager {

    /** Keys the doubles expect; fake, and shaped like each provider's so redaction can be checked. */
    public static final String GROQ_KEY_A = "gsk_testkeyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    public static final String GROQ_KEY_B = "gsk_testkeyBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
    public static final String GEMINI_KEY = "AIzaSyTestKeyGeminiXXXXXXXXXXXXXXXXXXXXX";
    public static final String OTHER_KEY = "sk-test-other-provider-key-0000000000000000";
    /** The gateway's admin key in tests (status, capacity, dashboard, metrics). */
    public static final String ADMIN_KEY = "fw-admin-test-key-5d0c1f2e3a4b";

    private static WireMockServer server;
    private static RedisServer redis;

    public static WireMockServer server() {
        return server;
    }

    /** Forgets every stub, recorded request and counter: each test starts from an empty pool. */
    public static void reset() {
        server.resetAll();
        Resp.command(redis.port(), "FLUSHALL");
        io.smallrye.faulttolerance.api.CircuitBreakerMaintenance.get().resetAll();
    }

    /** The Redis the gateway counts in, for tests that look at its keys. */
    public static RedisServer redis() {
        return redis;
    }

    /** Each provider's path on the double, as its base URL path. */
    public static final Map<String, String> PATHS = Map.of(
            "groq", "/groq/openai/v1",
            "google-gemini", "/gemini/v1beta/openai",
            "zai", "/zai/api/paas/v4",
            "dashscope-intl", "/dashscope/compatible-mode/v1",
            "moonshot-kimi", "/moonshot/v1",
            "huggingface-router", "/hf/v1",
            "openrouter", "/openrouter/api/v1",
            "cerebras", "/cerebras/v1",
            "local-vllm", "/vllm/v1");

    @Override
    public Map<String, String> start() {
        if (server == null) {
            server = new WireMockServer(options().dynamicPort());
            server.start();
            redis = RedisServer.start();
        }
        String base = "http://localhost:" + server.port();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.redis.hosts", redis.uri());
        config.put("freeway.quota.embedded-redis", "false");
        config.put("freeway.security.admin-key", ADMIN_KEY);
        config.put("freeway.status.metrics-refresh", "1s");
        PATHS.forEach((provider, path) -> config.put("freeway.providers." + provider + ".base-url", base + path));
        account(config, "groq", 0, "team-a", GROQ_KEY_A);
        account(config, "groq", 1, "team-b", GROQ_KEY_B);
        account(config, "google-gemini", 0, "project-1", GEMINI_KEY);
        for (String provider : List.of("zai", "dashscope-intl", "moonshot-kimi", "huggingface-router", "openrouter",
                "cerebras")) {
            account(config, provider, 0, "main", OTHER_KEY);
        }
        config.put("freeway.providers.local-vllm.type", "openai-compatible");
        config.put("freeway.providers.local-vllm.models.qwen3-8b.context-window", "32768");
        config.put("freeway.providers.local-vllm.accounts[0].id", "lab");
        config.put("freeway.providers.local-vllm.accounts[0].api-key", "none");
        config.put("freeway.providers.local-vllm.timeout", "2s");
        config.put("freeway.routing.aliases.claude-sonnet-4-5", "auto:coding");
        config.put("freeway.routing.aliases.gpt-4o", "groq/openai/gpt-oss-120b");
        return config;
    }

    private static void account(Map<String, String> config, String provider, int index, String id, String key) {
        config.put("freeway.providers." + provider + ".accounts[" + index + "].id", id);
        config.put("freeway.providers." + provider + ".accounts[" + index + "].api-key", key);
    }

    @Override
    public void stop() {
        // shared by every test class in this JVM; it dies with it
    }

    /** A stub for one provider's chat endpoint, optionally only for one key. */
    public static MappingBuilder chat(String provider, String key) {
        MappingBuilder mapping = post(urlEqualTo(PATHS.get(provider) + "/chat/completions"));
        return key == null ? mapping : mapping.withHeader("Authorization", equalTo("Bearer " + key));
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** An OpenAI-shaped completion as every provider's compatible endpoint returns it. */
    public static String completion(String model, String content, long prompt, long completion) {
        return """
                {"id":"chatcmpl-test","object":"chat.completion","created":1764000000,"model":"%s",\
                "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],\
                "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
                .formatted(model, content, prompt, completion, prompt + completion);
    }

    /** A server-sent event stream of content deltas, then the usage-only chunk, then [DONE]. */
    public static String stream(String model, List<String> deltas, long prompt, long completion) {
        StringBuilder sse = new StringBuilder();
        sse.append(event("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\""
                + model + "\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"finish_reason\":null}]}"));
        for (String delta : deltas) {
            sse.append(event("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\""
                    + model + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + delta + "\"},"
                    + "\"finish_reason\":null}]}"));
        }
        sse.append(event("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\""
                + model + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"));
        sse.append(event("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\""
                + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":"
                + completion + ",\"total_tokens\":" + (prompt + completion) + "}}"));
        sse.append(event("[DONE]"));
        return sse.toString();
    }

    public static String event(String data) {
        return "data: " + data + "\n\n";
    }

    public static ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body);
    }
}
