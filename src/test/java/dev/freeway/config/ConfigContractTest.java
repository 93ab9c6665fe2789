package dev.freeway.config;

import dev.freeway.catalog.LimitRule;
import dev.freeway.support.ConfigFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration shape the README documents is the one Freeway reads, and mistakes stop start-up clearly. */
class ConfigContractTest {

    @TempDir
    Path dir;

    @Test
    void the_documented_example_configures_two_groq_accounts_and_a_local_server() throws IOException {
        Path keyFile = Files.writeString(dir.resolve("groq-team-b"), "gsk_fromfile\n");
        Pool pool = build("""
                freeway:
                  providers:
                    groq:
                      load-balancing: round_robin
                      accounts:
                        - id: team-a
                          api-key: ${GROQ_API_KEY_1}
                        - id: team-b
                          api-key-file: %s
                          limits:
                            - { metric: requests, window: day, limit: 14400, per-model: true }
                    local-vllm:
                      type: openai-compatible
                      base-url: http://127.0.0.1:8000/v1
                      models:
                        qwen3-8b: { context-window: 32768 }
                      accounts:
                        - { id: lab, api-key: none }
                """.formatted(keyFile), Map.of("GROQ_API_KEY_1", "gsk_fromenv"));

        ProviderPool groq = pool.provider("groq").orElseThrow();
        assertEquals(LoadBalancing.ROUND_ROBIN, groq.loadBalancing());
        assertEquals("gsk_fromenv", groq.accounts().get(0).key().secret());
        assertEquals("gsk_fromfile", groq.accounts().get(1).key().secret());
        LimitRule override = groq.accounts().get(1).rulesFor(groq.spec(), "openai/gpt-oss-120b").stream()
                .filter(r -> r.metric() == LimitRule.Metric.REQUESTS && r.window() == LimitRule.Window.DAY)
                .findFirst().orElseThrow();
        assertEquals(14400, override.limit(), "the account's rule replaces the catalog's 1000 RPD");
        assertEquals(1000, groq.accounts().get(0).rulesFor(groq.spec(), "openai/gpt-oss-120b").stream()
                .filter(r -> r.metric() == LimitRule.Metric.REQUESTS && r.window() == LimitRule.Window.DAY)
                .findFirst().orElseThrow().limit(), "the other account keeps the catalog default");

        ProviderPool vllm = pool.provider("local-vllm").orElseThrow();
        assertEquals("http://127.0.0.1:8000/v1", vllm.spec().baseUrl());
        assertEquals(32768, vllm.spec().model("qwen3-8b").orElseThrow().contextWindow());
        assertTrue(vllm.accounts().get(0).key().isNone());
        assertTrue(vllm.anyModel());
    }

    @Test
    void connections_are_kept_under_the_servers_own_limit_by_kind_of_provider_and_made_within_ten_seconds() {
        Pool pool = build("""
                freeway:
                  providers:
                    groq:
                      accounts: [{ id: a, api-key: k }]
                    mistral:
                      keep-alive: 90s
                      connect-timeout: 2s
                      accounts: [{ id: a, api-key: k }]
                    local-vllm:
                      type: openai-compatible
                      base-url: http://127.0.0.1:8000/v1
                      accounts: [{ id: lab, api-key: none }]
                """, Map.of());
        assertEquals(Duration.ofSeconds(30), pool.provider("groq").orElseThrow().timeouts().keepAlive());
        assertEquals(Duration.ofSeconds(90), pool.provider("mistral").orElseThrow().timeouts().keepAlive());
        assertEquals(Duration.ofSeconds(4), pool.provider("local-vllm").orElseThrow().timeouts().keepAlive(),
                "under the 5 s after which uvicorn (vLLM) and Node close an idle connection");
        assertEquals(Duration.ofSeconds(10), pool.provider("groq").orElseThrow().timeouts().connect());
        assertEquals(Duration.ofSeconds(2), pool.provider("mistral").orElseThrow().timeouts().connect());
        for (String key : List.of("keep-alive", "connect-timeout")) {
            InvalidConfigurationException zero = assertThrows(InvalidConfigurationException.class, () -> build("""
                    freeway:
                      providers:
                        groq:
                          %s: 0s
                          accounts: [{ id: a, api-key: k }]
                    """.formatted(key), Map.of()));
            assertTrue(zero.getMessage().contains("freeway.providers.groq." + key + ": must be positive"),
                    zero.getMessage());
        }
    }

    @Test
    void a_provider_that_refuses_the_usage_chunk_can_be_told_not_to_be_asked_for_it() {
        Pool pool = build("""
                freeway:
                  providers:
                    google-gemini:
                      stream-usage: false
                      accounts: [{ id: a, api-key: k }]
                    groq:
                      accounts: [{ id: a, api-key: k }]
                """, Map.of());
        var request = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode().put("stream", true);
        var gemini = dev.freeway.provider.RequestRewriter.rewrite(request,
                pool.provider("google-gemini").orElseThrow().spec(), "gemini-2.5-flash");
        assertFalse(gemini.has("stream_options"), gemini.toString());
        var groq = dev.freeway.provider.RequestRewriter.rewrite(request, pool.provider("groq").orElseThrow().spec(),
                "openai/gpt-oss-120b");
        assertTrue(groq.at("/stream_options/include_usage").asBoolean(), groq.toString());
    }

    @Test
    void several_keys_of_one_account_are_one_quota_scope() {
        Pool pool = build("""
                freeway:
                  providers:
                    google-gemini:
                      accounts:
                        - id: project-1
                          api-keys: [k1, k2]
                """, Map.of());
        Account account = pool.provider("google-gemini").orElseThrow().accounts().get(0);
        assertEquals(2, account.keys().size());
        assertEquals("google-gemini:project-1", account.quotaId());
    }

    @Test
    void every_mistake_is_named_with_its_key_and_fix_in_one_message() {
        InvalidConfigurationException error = assertThrows(InvalidConfigurationException.class, () -> build("""
                freeway:
                  providers:
                    grok:
                      accounts: [{ id: a, api-key: x }]
                    groq:
                      accounts:
                        - { id: a }
                        - { id: b, api-key-file: /no/such/file }
                        - id: c
                          api-key: k
                          limits: [{ metric: requestz, window: day, limit: 5 }]
                    mine:
                      type: openai-compatible
                      accounts: [{ id: x, api-key: none }]
                """, Map.of()));
        String message = error.getMessage();
        assertTrue(message.contains("freeway.providers.grok: unknown provider 'grok'"), message);
        assertTrue(message.contains("freeway.providers.groq.accounts[0]: no key"), message);
        assertTrue(message.contains("freeway.providers.groq.accounts[1].api-key-file: /no/such/file cannot be read"), message);
        assertTrue(message.contains("freeway.providers.groq.accounts[2].limits[0]: unknown metric 'requestz'"), message);
        assertTrue(message.contains("freeway.providers.mine.base-url: missing"), message);
        assertFalse(message.contains(" x "), "no key text in the message");
    }

    @Test
    void settings_that_would_break_serving_later_are_refused_at_start_up() {
        InvalidConfigurationException error = assertThrows(InvalidConfigurationException.class, () -> build("""
                freeway:
                  routing:
                    max-context-threshold: 0
                    sticky-for: 0s
                  providers:
                    groq:
                      guard: { breaker-failure-ratio: 50, breaker-delay: -1s, retry-delay: -1s, retries: -1 }
                      accounts: [{ id: "team{a}", api-key: k }]
                """, Map.of()));
        String message = error.getMessage();
        for (String named : List.of("freeway.routing.max-context-threshold", "freeway.routing.sticky-for",
                "freeway.providers.groq.guard.breaker-failure-ratio", "freeway.providers.groq.guard.breaker-delay",
                "freeway.providers.groq.guard.retry-delay", "freeway.providers.groq.guard.retries",
                "freeway.providers.groq.accounts[0].id")) {
            assertTrue(message.contains(named), named + " in: " + message);
        }
    }

    @Test
    void environment_variables_alone_configure_providers_for_lambda() {
        Pool pool = build("freeway: {}", Map.of(
                "FREEWAY_PROVIDERS_GROQ_ACCOUNTS_0__ID", "team-a",
                "FREEWAY_PROVIDERS_GROQ_ACCOUNTS_0__API_KEY", "gsk_env",
                "FREEWAY_PROVIDERS_GROQ_LOAD_BALANCING", "least_used",
                "FREEWAY_PROVIDERS__GOOGLE_GEMINI__ACCOUNTS_0__ID", "project-1",
                "FREEWAY_PROVIDERS__GOOGLE_GEMINI__ACCOUNTS_0__API_KEY", "AIza-env"));
        ProviderPool groq = pool.provider("groq").orElseThrow();
        assertEquals(LoadBalancing.LEAST_USED, groq.loadBalancing());
        assertEquals("gsk_env", groq.accounts().get(0).key().secret());
        ProviderPool gemini = pool.provider("google-gemini").orElseThrow();
        assertEquals("project-1", gemini.accounts().get(0).id());
        assertEquals("google-gemini:project-1", gemini.accounts().get(0).quotaId());
    }

    @Test
    void a_key_from_an_unset_environment_variable_stops_start_up_naming_the_variable() {
        InvalidConfigurationException error = assertThrows(InvalidConfigurationException.class, () -> build("""
                freeway:
                  providers:
                    groq:
                      accounts:
                        - id: team-a
                          api-key: ${GROQ_KEY_NOBODY_SET}
                        - id: team-b
                          api-keys: ["${GROQ_KEY_B1_UNSET}", "${GROQ_KEY_B2_UNSET}"]
                        - id: team-c
                          api-key: ${GROQ_KEY_SET}
                """, Map.of("GROQ_KEY_SET", "gsk_set")));
        String message = error.getMessage();
        assertTrue(message.contains("freeway.providers.groq.accounts[0]: no key. Its key comes from the environment"
                + " variable GROQ_KEY_NOBODY_SET, which is not set"), message);
        assertTrue(message.contains("freeway.providers.groq.accounts[1]: no key. Its key comes from the environment"
                + " variables GROQ_KEY_B1_UNSET, GROQ_KEY_B2_UNSET"), message);
        assertFalse(message.contains("accounts[2]"), message);
        assertFalse(message.contains("gsk_set"), message);
    }

    @Test
    void routing_settings_are_checked_at_start_up_and_handed_to_routing_with_the_pool() {
        Pool pool = build("""
                freeway:
                  providers:
                    groq:
                      load-balancing: weighted
                      accounts: [{ id: a, api-key: k }, { id: b, api-key: k }]
                  routing:
                    fallback-chain: [groq]
                    sticky-for: 10m
                    weights: { quota: 50, spread: 2, fast-latency: 800ms }
                    preserve:
                      - { model: groq/openai/gpt-oss-120b, for: [reasoning], others: never }
                    schedules:
                      - { from: "09:00", to: "17:00", zone: Europe/Berlin, prefer: [groq] }
                """, Map.of());
        RoutingSettings routing = pool.routing();
        assertEquals(LoadBalancing.WEIGHTED, pool.provider("groq").orElseThrow().loadBalancing());
        assertEquals(java.util.List.of("groq"), routing.fallbackChain());
        assertEquals(java.time.Duration.ofMinutes(10), routing.stickyFor());
        assertEquals(50, routing.weights().quota());
        assertEquals(30, routing.weights().fit(), "unset weights keep their defaults");
        assertEquals(2, routing.weights().spread());
        assertEquals(java.time.Duration.ofMillis(800), routing.weights().fastLatency());
        assertTrue(routing.preserve().get(0).never());
        assertEquals(java.util.Set.of("groq"), routing.schedules().get(0).prefer());

        InvalidConfigurationException wrong = assertThrows(InvalidConfigurationException.class, () -> build("""
                freeway:
                  providers:
                    groq:
                      load-balancing: fastest
                      accounts: [{ id: a, api-key: k }]
                  routing:
                    tasks:
                      poems: [groq]
                    preserve:
                      - { model: groq/openai/gpt-oss-120b, for: [sonnets], others: sometimes }
                    schedules:
                      - { from: "9 o'clock", to: "17:00", zone: Europe/Berlin }
                      - { from: "09:00", to: "17:00", zone: Mars/Olympus }
                """, Map.of()));
        String message = wrong.getMessage();
        for (String expected : java.util.List.of("freeway.providers.groq.load-balancing: 'fastest' is not a strategy",
                "freeway.routing.tasks.poems: 'poems' is no task", "freeway.routing.preserve[0].for: 'sonnets'",
                "freeway.routing.preserve[0].others: 'sometimes'", "freeway.routing.schedules[0].from",
                "freeway.routing.schedules[1].zone: 'Mars/Olympus'")) {
            assertTrue(message.contains(expected), expected + " in " + message);
        }
    }

    @Test
    void a_key_never_shows_in_an_accounts_text() {
        Account account = new Account("groq", "a", java.util.List.of(new Credential("gsk_secret")), java.util.List.of());
        assertFalse(account.toString().contains("gsk_secret"));
    }

    private Pool build(String yaml, Map<String, String> env) {
        return ConfigFixture.pool(ConfigFixture.config(yaml, env));
    }

    @Test
    void an_openai_compatible_server_may_declare_embedding_models_with_their_vectors() {
        Pool pool = build("""
                freeway:
                  providers:
                    local-tei:
                      type: openai-compatible
                      base-url: http://127.0.0.1:8080/v1
                      models:
                        bge-m3: { kind: embedding, context-window: 8192, dimensions: 1024, max-inputs: 32 }
                        nomic-embed: { kind: embedding, context-window: 2048, dimensions: 768, dimension-choices: [768, 256] }
                      accounts:
                        - { id: lab, api-key: none }
                """, Map.of());
        var models = pool.provider("local-tei").orElseThrow().spec().models();
        assertTrue(models.get("bge-m3").isEmbedding());
        assertEquals(1024, models.get("bge-m3").embedding().dimensions());
        assertEquals(32, models.get("bge-m3").embedding().maxInputs());
        assertTrue(models.get("nomic-embed").embedding().serves(256));

        InvalidConfigurationException missing = assertThrows(InvalidConfigurationException.class, () -> build("""
                freeway:
                  providers:
                    local-tei:
                      type: openai-compatible
                      base-url: http://127.0.0.1:8080/v1
                      models:
                        e5: { kind: embedding, context-window: 512 }
                      accounts:
                        - { id: lab, api-key: none }
                """, Map.of()));
        assertTrue(missing.getMessage().contains("freeway.providers.local-tei.models.e5.dimensions"),
                missing.getMessage());
    }

    @Test
    void aliases_that_shadow_auto_name_no_task_or_chain_stop_start_up_naming_the_key() {
        FreewayConfig config = dev.freeway.support.ConfigFixture.config("""
                freeway:
                  providers:
                    groq:
                      accounts: [{ id: a, api-key: k }]
                  routing:
                    aliases:
                      auto: groq/openai/gpt-oss-120b
                      fast: auto:poems
                      smart: fast
                      gpt-4o: groq/openai/gpt-oss-120b
                """);
        InvalidConfigurationException wrong = assertThrows(InvalidConfigurationException.class,
                () -> new PoolBuilder(dev.freeway.catalog.CatalogReader.builtIn()).build(config));
        assertTrue(wrong.getMessage().contains("freeway.routing.aliases.auto"), wrong.getMessage());
        assertTrue(wrong.getMessage().contains("freeway.routing.aliases.fast: 'auto:poems' is no task"),
                wrong.getMessage());
        assertTrue(wrong.getMessage().contains("freeway.routing.aliases.smart: 'fast' is itself an alias"),
                wrong.getMessage());
        assertFalse(wrong.getMessage().contains("aliases.gpt-4o"), wrong.getMessage());
    }
}
