package dev.freeway.catalog;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Scope;
import dev.freeway.catalog.LimitRule.Window;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogReaderTest {

    private static final Map<String, ProviderSpec> CATALOG = CatalogReader.builtIn();

    // ------------------------------------------------------------------ providers

    @Test
    void every_required_provider_is_present_with_its_reference_base_url_and_bearer_auth() {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("dashscope-intl", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1");
        urls.put("dashscope-cn", "https://dashscope.aliyuncs.com/compatible-mode/v1");
        urls.put("google-gemini", "https://generativelanguage.googleapis.com/v1beta/openai");
        urls.put("moonshot-kimi", "https://api.moonshot.ai/v1");
        urls.put("zai", "https://api.z.ai/api/paas/v4");
        urls.put("groq", "https://api.groq.com/openai/v1");
        urls.put("huggingface-router", "https://router.huggingface.co/v1");
        urls.put("openrouter", "https://openrouter.ai/api/v1");
        urls.put("cerebras", "https://api.cerebras.ai/v1");
        urls.put("mistral", "https://api.mistral.ai/v1");
        urls.put("sambanova", "https://api.sambanova.ai/v1");
        urls.put("nvidia-nim", "https://integrate.api.nvidia.com/v1");
        urls.put("cloudflare-workers-ai", "https://api.cloudflare.com/client/v4/accounts/{account_id}/ai/v1");
        urls.forEach((id, url) -> {
            ProviderSpec provider = CATALOG.get(id);
            assertNotNull(provider, id + " is missing");
            assertEquals(id, provider.id());
            assertEquals(url, provider.baseUrl(), id);
            assertEquals("Authorization", provider.authHeader(), id);
            assertEquals("Bearer ", provider.authPrefix(), id);
            assertFalse(provider.models().isEmpty(), id + " has no models");
        });
        assertTrue(CATALOG.containsKey("openai-compatible"));
        assertEquals(urls.size() + 1, CATALOG.size(), "unexpected providers: " + CATALOG.keySet());
    }

    @Test
    void discontinued_retired_and_paid_only_services_are_not_providers() {
        for (String gone : List.of("qwen-portal", "github-models", "together")) {
            assertFalse(CATALOG.containsKey(gone), gone);
        }
    }

    @Test
    void openai_compatible_is_a_generic_type_without_url_or_models() {
        ProviderSpec generic = CATALOG.get("openai-compatible");
        assertNull(generic.baseUrl());
        assertTrue(generic.models().isEmpty());
        assertTrue(generic.retired().isEmpty());
        assertTrue(generic.accountRules().isEmpty());
        assertEquals(DialectName.OPENAI, generic.dialect());
        assertFalse(generic.poolingRestricted());
    }

    @Test
    void base_urls_have_no_trailing_slash() {
        CATALOG.values().stream().filter(p -> p.baseUrl() != null)
                .forEach(p -> assertFalse(p.baseUrl().endsWith("/"), p.id()));
    }

    @Test
    void gemini_resets_at_midnight_in_los_angeles_and_openrouter_and_cloudflare_in_utc() {
        assertEquals(ZoneId.of("America/Los_Angeles"), CATALOG.get("google-gemini").resetZone());
        assertEquals(ZoneId.of("UTC"), CATALOG.get("openrouter").resetZone());
        assertEquals(ZoneId.of("UTC"), CATALOG.get("cloudflare-workers-ai").resetZone());
    }

    @Test
    void every_provider_records_what_its_terms_say_about_several_accounts() {
        CATALOG.values().forEach(p -> assertFalse(p.terms().isBlank(), p.id()));
    }

    @Test
    void google_openrouter_zai_and_alibaba_are_pooling_restricted() {
        for (String id : List.of("google-gemini", "openrouter", "zai", "dashscope-intl", "dashscope-cn")) {
            assertTrue(CATALOG.get(id).poolingRestricted(), id);
        }
    }

    @Test
    void each_entry_names_its_family_dialect() {
        assertEquals(DialectName.GEMINI, CATALOG.get("google-gemini").dialect());
        assertEquals(DialectName.DASHSCOPE, CATALOG.get("dashscope-cn").dialect());
        assertEquals(DialectName.CLOUDFLARE, CATALOG.get("cloudflare-workers-ai").dialect());
    }

    // ------------------------------------------------------------------ limits

    @Test
    void groq_gpt_oss_120b_carries_exactly_its_four_free_limits_per_model() {
        ModelSpec model = CATALOG.get("groq").model("openai/gpt-oss-120b").orElseThrow();
        assertEquals(Set.of(
                        LimitRule.of(Metric.REQUESTS, Window.MINUTE, Scope.MODEL, 30),
                        LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 1000),
                        LimitRule.of(Metric.TOKENS, Window.MINUTE, Scope.MODEL, 8000),
                        LimitRule.of(Metric.TOKENS, Window.DAY, Scope.MODEL, 200000)),
                Set.copyOf(model.rules()));
        assertEquals(4, model.rules().size());
        assertTrue(CATALOG.get("groq").accountRules().isEmpty());
        assertEquals(model.rules(), CATALOG.get("groq").rulesFor("openai/gpt-oss-120b"));
    }

    @Test
    void openrouter_free_limits_are_shared_by_the_whole_account() {
        ProviderSpec openrouter = CATALOG.get("openrouter");
        assertEquals(List.of(
                LimitRule.of(Metric.REQUESTS, Window.MINUTE, Scope.ACCOUNT, 20),
                LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.ACCOUNT, 50)), openrouter.accountRules());
        openrouter.models().values().forEach(m -> {
            assertTrue(m.id().endsWith(":free"), m.id());
            assertTrue(m.rules().isEmpty(), m.id() + " should only count against the account");
        });
    }

    @Test
    void dashscope_intl_qwen_plus_has_a_one_million_token_grant_without_a_fixed_expiry() {
        ModelSpec qwenPlus = CATALOG.get("dashscope-intl").model("qwen-plus").orElseThrow();
        LimitRule grant = qwenPlus.rules().stream().filter(r -> r.window() == Window.GRANT).findFirst().orElseThrow();
        assertEquals(Metric.TOKENS, grant.metric());
        assertEquals(Scope.MODEL, grant.scope());
        assertEquals(1_000_000, grant.limit());
        assertNull(grant.expires(), "90 days from the user's activation: only the user knows the date");
    }

    @Test
    void cerebras_limits_replenish_in_rolling_windows() {
        ProviderSpec cerebras = CATALOG.get("cerebras");
        for (ModelSpec model : cerebras.models().values()) {
            assertFalse(model.rules().isEmpty(), model.id());
            model.rules().forEach(r -> assertEquals(Window.ROLLING, r.window(), model.id() + " " + r));
            Set<Duration> lengths = model.rules().stream().map(LimitRule::rolling).collect(Collectors.toSet());
            assertEquals(Set.of(Duration.ofSeconds(60), Duration.ofSeconds(3600), Duration.ofSeconds(86400)), lengths);
        }
        ModelSpec gptOss = cerebras.model("gpt-oss-120b").orElseThrow();
        assertTrue(gptOss.rules().contains(new LimitRule(Metric.TOKENS, Window.ROLLING, Scope.MODEL, 30000,
                Duration.ofSeconds(60), null)));
    }

    @Test
    void dashscope_rate_limits_are_paid_and_its_grant_is_the_free_part() {
        for (String model : List.of("qwen-plus", "qwen-max", "qwen-turbo")) {
            for (LimitRule rule : CATALOG.get("dashscope-intl").model(model).orElseThrow().rules()) {
                assertEquals(rule.window() == Window.GRANT ? LimitRule.Tier.FREE : LimitRule.Tier.PAID, rule.tier(),
                        model + " " + rule);
            }
        }
    }

    /** Moonshot has no free tier: its Tier0 limits only cap billed calls. */
    private static LimitRule paid(Metric metric, Window window, Scope scope, long limit) {
        return new LimitRule(metric, window, scope, limit, null, null, LimitRule.Tier.PAID);
    }

    @Test
    void moonshot_tier0_limits_are_shared_across_models_with_one_concurrent_request() {
        List<LimitRule> rules = CATALOG.get("moonshot-kimi").accountRules();
        assertEquals(List.of(
                paid(Metric.CONCURRENT_REQUESTS, Window.NONE, Scope.ACCOUNT, 1),
                paid(Metric.REQUESTS, Window.MINUTE, Scope.ACCOUNT, 3),
                paid(Metric.TOKENS, Window.MINUTE, Scope.ACCOUNT, 500000),
                paid(Metric.TOKENS, Window.DAY, Scope.ACCOUNT, 1500000)), rules);
        CATALOG.get("moonshot-kimi").models().values().forEach(m -> assertFalse(m.free(), m.id() + ": no free API tier"));
    }

    @Test
    void cloudflare_counts_ten_thousand_daily_neurons_as_account_credits_in_micro_dollars() {
        // 10,000 neurons at $0.011 per 1,000 are $0.11, counted as prices are: in millionths of a dollar
        assertEquals(List.of(LimitRule.of(Metric.CREDITS, Window.DAY, Scope.ACCOUNT, 110_000)),
                CATALOG.get("cloudflare-workers-ai").accountRules());
        // so a call at a priced model's largest output (what is reserved when the client sets no max_tokens) fits
        // the day several times over, as it does at Cloudflare
        for (ModelSpec model : CATALOG.get("cloudflare-workers-ai").models().values()) {
            if (model.price() != null) {
                double credits = 1500 * model.price().inputPerMillion() + model.maxOutput()
                        * model.price().outputPerMillion();
                assertTrue(3 * credits < 110_000, model.id() + " spends " + credits + " a call");
            }
        }
    }

    @Test
    void zai_free_models_are_capped_by_concurrency() {
        CATALOG.get("zai").models().values().forEach(m -> assertTrue(m.rules().stream().anyMatch(
                r -> r.metric() == Metric.CONCURRENT_REQUESTS && r.window() == Window.NONE && r.limit() > 0), m.id()));
    }

    @Test
    void gemini_2_5_pro_is_kept_but_not_free_and_has_no_free_limits() {
        ModelSpec pro = CATALOG.get("google-gemini").model("gemini-2.5-pro").orElseThrow();
        assertFalse(pro.free());
        assertTrue(pro.rules().isEmpty());
        ModelSpec flash = CATALOG.get("google-gemini").model("gemini-2.5-flash").orElseThrow();
        assertTrue(flash.free());
        assertTrue(flash.rules().contains(LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 20)));
    }

    @Test
    void rule_identities_are_unique_within_a_model_and_within_an_account() {
        for (ProviderSpec provider : CATALOG.values()) {
            assertUnique(provider.id(), provider.accountRules());
            provider.models().values().forEach(m -> assertUnique(provider.id() + "/" + m.id(), m.rules()));
        }
    }

    // ------------------------------------------------------------------ models

    @Test
    void every_chat_model_has_a_positive_context_window_and_max_output_below_it() {
        for (ProviderSpec provider : CATALOG.values()) {
            for (ModelSpec model : provider.models().values()) {
                if (model.isEmbedding()) {
                    continue;
                }
                String where = provider.id() + "/" + model.id();
                assertTrue(model.contextWindow() > 0, where);
                assertTrue(model.maxOutput() > 0, where);
                assertTrue(model.maxOutput() <= model.contextWindow(), where);
                assertFalse(model.strengths().isEmpty(), where + " has no strengths");
                assertNotNull(model.capabilities(), where + " does not declare its capabilities");
            }
        }
    }

    @Test
    void embedding_models_carry_their_vector_length_batch_size_and_input_limit() {
        ModelSpec qwen = CATALOG.get("dashscope-intl").model("text-embedding-v4").orElseThrow();
        assertTrue(qwen.isEmbedding());
        assertEquals(8192, qwen.contextWindow());
        assertEquals(1024, qwen.embedding().dimensions());
        assertEquals(10, qwen.embedding().maxInputs());
        assertTrue(qwen.embedding().serves(256) && !qwen.embedding().serves(300));
        assertEquals(0.07, qwen.price().inputPerMillion());
        assertTrue(qwen.rules().contains(LimitRule.of(Metric.TOKENS, Window.GRANT, Scope.MODEL, 1_000_000)));
        ModelSpec mistral = CATALOG.get("mistral").model("mistral-embed").orElseThrow();
        assertTrue(mistral.embedding().serves(null) && mistral.embedding().serves(1024));
        assertFalse(mistral.embedding().serves(512), "a fixed length cannot be changed");
        assertEquals(3072, CATALOG.get("google-gemini").model("gemini-embedding-001").orElseThrow().embedding()
                .dimensions());
        assertEquals(768, CATALOG.get("cloudflare-workers-ai").model("@cf/baai/bge-base-en-v1.5").orElseThrow()
                .embedding().dimensions());
        CATALOG.values().forEach(p -> p.models().values().stream().filter(ModelSpec::isEmbedding).forEach(m -> {
            assertEquals(0, m.maxOutput(), m.id());
            assertTrue(m.strengths().isEmpty() && m.capabilities().isEmpty(), m.id());
            assertTrue(m.embedding().dimensions() > 0 && m.contextWindow() > 0, m.id());
        }));
    }

    @Test
    void an_embedding_key_on_a_chat_model_or_chat_keys_on_an_embedding_model_are_mistakes() {
        CatalogException onChat = assertThrows(CatalogException.class, () -> read(minimal("""
                      m: {context-window: 10, max-output: 5, strengths: [simple], free: true, dimensions: 8}""")));
        assertTrue(onChat.getMessage().contains("only an embedding model"), onChat.getMessage());
        CatalogException onEmbedding = assertThrows(CatalogException.class, () -> read(minimal("""
                      e: {kind: embedding, context-window: 10, dimensions: 8, max-output: 5, free: true}""")));
        assertTrue(onEmbedding.getMessage().contains("no max-output"), onEmbedding.getMessage());
        CatalogException badKind = assertThrows(CatalogException.class, () -> read(minimal("""
                      e: {kind: rerank, context-window: 10, free: true}""")));
        assertTrue(badKind.getMessage().contains("chat or embedding"), badKind.getMessage());
    }

    private static String minimal(String model) {
        return """
                providers:
                  p:
                    display-name: P
                    base-url: https://p.example/v1
                    auth-header: Authorization
                    dialect: openai
                    reset-zone: UTC
                    stream-usage: true
                    pooling-restricted: false
                    terms: none
                    free-tier: none
                    models:
                      %s
                """.formatted(model.strip());
    }

    @Test
    void every_price_is_per_million_tokens_and_says_when_it_was_read() {
        CATALOG.values().forEach(p -> p.models().values().stream().filter(m -> m.price() != null).forEach(m -> {
            assertTrue(m.price().inputPerMillion() >= 0 && m.price().outputPerMillion() >= 0, m.id());
            assertTrue(m.price().asOf().matches("\\d{4}-\\d{2}-\\d{2}"), m.id() + " as-of " + m.price().asOf());
        }));
        ModelSpec.Price groq = CATALOG.get("groq").model("openai/gpt-oss-120b").orElseThrow().price();
        assertEquals(0.15, groq.inputPerMillion());
        assertEquals(0.60, groq.outputPerMillion());
    }

    @Test
    void providers_and_models_keep_the_order_of_the_file() {
        assertEquals("dashscope-intl", CATALOG.keySet().iterator().next());
        assertEquals(List.of("openai/gpt-oss-120b", "openai/gpt-oss-20b"),
                CATALOG.get("groq").models().keySet().stream().limit(2).collect(Collectors.toList()));
    }

    @Test
    void the_built_in_catalog_is_read_once_and_cannot_be_changed() {
        assertSame(CATALOG, CatalogReader.builtIn());
        assertThrows(UnsupportedOperationException.class, () -> CATALOG.remove("groq"));
        assertThrows(UnsupportedOperationException.class, () -> CATALOG.get("groq").models().clear());
    }

    // ------------------------------------------------------------------ retired models

    @Test
    void retired_groq_models_name_a_current_replacement() {
        Map<String, RetiredModel> retired = CATALOG.get("groq").retired();
        for (String id : List.of("llama-3.3-70b-versatile", "llama-3.1-8b-instant", "mixtral-8x7b-32768", "gemma2-9b-it")) {
            RetiredModel model = retired.get(id);
            assertNotNull(model, id);
            assertTrue(CATALOG.get("groq").models().containsKey(model.replacement()), id);
        }
        assertEquals("2026-08-16", retired.get("llama-3.3-70b-versatile").retiredOn());
        assertEquals("openai/gpt-oss-120b", retired.get("llama-3.3-70b-versatile").replacement());
    }

    @Test
    void every_retired_model_is_replaced_by_a_model_of_the_same_provider() {
        for (ProviderSpec provider : CATALOG.values()) {
            provider.retired().forEach((id, retired) -> {
                assertEquals(id, retired.id());
                assertTrue(provider.models().containsKey(retired.replacement()),
                        provider.id() + ": " + id + " -> " + retired.replacement());
                assertFalse(provider.models().containsKey(id), provider.id() + " still serves " + id);
            });
        }
    }

    @Test
    void common_wrong_ids_from_older_guides_lead_to_current_models() {
        assertEquals("qwen3-coder-plus", CATALOG.get("dashscope-intl").retired().get("qwen-coder").replacement());
        assertEquals("gemini-2.5-flash", CATALOG.get("google-gemini").retired().get("gemini-2.5-flash-thinking").replacement());
        assertEquals("gemini-2.5-flash", CATALOG.get("google-gemini").retired().get("gemini-2.0-flash-thinking-exp").replacement());
        assertEquals("kimi-k2.6", CATALOG.get("moonshot-kimi").retired().get("kimi-2.5").replacement());
        assertEquals("kimi-k2.6", CATALOG.get("moonshot-kimi").retired().get("kimi-k2.5").replacement());
        assertEquals("gpt-oss-120b", CATALOG.get("cerebras").retired().get("llama3.1-8b").replacement());
    }

    // ------------------------------------------------------------------ quirks

    @Test
    void moonshot_strips_the_sampling_parameters_it_fixes() {
        assertEquals(Set.of("temperature", "top_p", "n", "presence_penalty", "frequency_penalty"),
                CATALOG.get("moonshot-kimi").quirks().dropParams());
    }

    @Test
    void groq_drops_logprobs_and_message_names_and_forces_a_single_choice() {
        RequestQuirks groq = CATALOG.get("groq").quirks();
        assertEquals(Set.of("logprobs", "logit_bias", "top_logprobs"), groq.dropParams());
        assertEquals(Set.of("name"), groq.dropMessageFields());
        assertEquals(Map.of("n", 1), groq.forceParams());
    }

    @Test
    void zai_accepts_only_auto_tool_choice_and_text_or_json_object_formats() {
        RequestQuirks zai = CATALOG.get("zai").quirks();
        assertEquals(Set.of("auto"), zai.toolChoices());
        assertEquals(Set.of("text", "json_object"), zai.responseFormats());
    }

    @Test
    void dashscope_turns_thinking_off_for_non_streaming_qwen3_calls_in_both_regions() {
        for (String id : List.of("dashscope-intl", "dashscope-cn")) {
            assertEquals(List.of(new RequestQuirks.ModelParams("qwen3", Map.of("enable_thinking", false))),
                    CATALOG.get(id).quirks().nonStreaming(), id);
        }
    }

    @Test
    void providers_without_quirks_rewrite_nothing() {
        assertEquals(RequestQuirks.NONE, CATALOG.get("openrouter").quirks());
        assertEquals(RequestQuirks.NONE, CATALOG.get("openai-compatible").quirks());
    }

    // ------------------------------------------------------------------ malformed catalogs

    @Test
    void an_unknown_metric_fails_naming_the_provider_model_and_key() {
        CatalogException error = assertThrows(CatalogException.class,
                () -> read(withModelRule("{metric: tokenz, window: day, limit: 5}")));
        assertMentions(error, "provider 'acme'", "model 'm1'", "limits[0]", "key 'metric'", "tokenz");
    }

    @Test
    void a_negative_limit_fails_naming_where() {
        CatalogException error = assertThrows(CatalogException.class,
                () -> read(withModelRule("{metric: requests, window: day, limit: -1}")));
        assertMentions(error, "provider 'acme'", "model 'm1'", "key 'limit'", "-1");
    }

    @Test
    void a_rolling_window_without_seconds_fails_naming_where() {
        CatalogException error = assertThrows(CatalogException.class,
                () -> read(withModelRule("{metric: tokens, window: rolling, limit: 10}")));
        assertMentions(error, "provider 'acme'", "model 'm1'", "key 'seconds'");
    }

    @Test
    void concurrency_must_use_window_none_and_only_concurrency_may() {
        assertMentions(assertThrows(CatalogException.class,
                () -> read(withModelRule("{metric: concurrent_requests, window: minute, limit: 2}"))), "key 'window'");
        assertMentions(assertThrows(CatalogException.class,
                () -> read(withModelRule("{metric: requests, window: none, limit: 2}"))), "key 'window'");
    }

    @Test
    void only_a_grant_may_expire_and_its_date_must_be_a_day() {
        assertMentions(assertThrows(CatalogException.class,
                () -> read(withModelRule("{metric: tokens, window: day, limit: 2, expires: \"2027-01-01\"}"))), "key 'expires'");
        assertMentions(assertThrows(CatalogException.class,
                () -> read(withModelRule("{metric: tokens, window: grant, limit: 2, expires: soon}"))), "key 'expires'", "soon");
        LimitRule grant = read(withModelRule("{metric: tokens, window: grant, limit: 2, expires: \"2027-01-31\"}"))
                .get("acme").model("m1").orElseThrow().rules().get(0);
        assertEquals(LocalDate.of(2027, 1, 31), grant.expires());
    }

    @Test
    void an_account_rule_error_names_the_provider_and_position() {
        String yaml = minimalProvider("    limits:\n      - {metric: requests, window: fortnight, limit: 1}\n", "");
        assertMentions(assertThrows(CatalogException.class, () -> read(yaml)),
                "provider 'acme'", "limits[0]", "key 'window'", "fortnight");
    }

    @Test
    void a_misspelt_key_is_rejected_instead_of_ignored() {
        String yaml = minimalProvider("", "        context_window: 100\n");
        assertMentions(assertThrows(CatalogException.class, () -> read(yaml)),
                "model 'm1'", "key 'context_window'", "unknown key");
    }

    @Test
    void a_missing_context_window_fails_naming_the_model() {
        String yaml = minimalProvider("", "").replace("        context-window: 1000\n", "");
        assertMentions(assertThrows(CatalogException.class, () -> read(yaml)), "model 'm1'", "key 'context-window'");
    }

    @Test
    void a_replacement_that_the_provider_does_not_serve_is_rejected() {
        String yaml = minimalProvider("    retired:\n      old: {replacement: nowhere}\n", "");
        assertMentions(assertThrows(CatalogException.class, () -> read(yaml)),
                "retired model 'old'", "key 'replacement'", "nowhere");
    }

    @Test
    void an_unknown_dialect_or_zone_is_rejected() {
        assertMentions(assertThrows(CatalogException.class,
                () -> read(minimalProvider("", "").replace("dialect: openai", "dialect: klingon"))), "key 'dialect'");
        assertMentions(assertThrows(CatalogException.class,
                () -> read(minimalProvider("", "").replace("reset-zone: UTC", "reset-zone: Mars/Olympus"))), "key 'reset-zone'");
    }

    @Test
    void a_repeated_model_id_is_rejected() {
        String yaml = minimalProvider("", "").replace("    models:\n", "    models:\n      m1: {context-window: 5, max-output: 1, free: true}\n");
        assertMentions(assertThrows(CatalogException.class, () -> read(yaml)), "m1");
    }

    @Test
    void text_that_is_not_yaml_is_rejected() {
        assertThrows(CatalogException.class, () -> read("providers: [unclosed"));
        assertThrows(CatalogException.class, () -> read("- just\n- a list\n"));
    }

    @Test
    void a_minimal_catalog_reads_with_defaults_for_optional_parts() {
        ProviderSpec acme = read(minimalProvider("", "")).get("acme");
        assertEquals("https://acme.example/v1", acme.baseUrl(), "trailing slash stripped");
        assertEquals(RequestQuirks.NONE, acme.quirks());
        ModelSpec m1 = acme.model("m1").orElseThrow();
        assertEquals(1000, m1.contextWindow());
        assertNull(m1.price());
        assertNull(m1.capabilities(), "no capabilities key: none declared");
        assertTrue(m1.can("tools") && m1.can("json"), "an undeclared capability is assumed present");
    }

    @Test
    void parse_rule_reads_a_configured_rule_and_names_the_bad_key() throws Exception {
        YAMLMapper yaml = new YAMLMapper();
        LimitRule rule = CatalogReader.parseRule(yaml.readTree("{metric: input_tokens, window: rolling, seconds: 300, limit: 9}"),
                Scope.ACCOUNT);
        assertEquals(new LimitRule(Metric.INPUT_TOKENS, Window.ROLLING, Scope.ACCOUNT, 9, Duration.ofMinutes(5), null), rule);
        assertMentions(assertThrows(CatalogException.class,
                () -> CatalogReader.parseRule(yaml.readTree("{metric: requests, window: day}"), Scope.MODEL)), "key 'limit'");
        assertMentions(assertThrows(CatalogException.class,
                () -> CatalogReader.parseRule(yaml.readTree("{metric: requests, window: day, limit: 1, seconds: 5}"), Scope.MODEL)),
                "key 'seconds'");
    }

    @Test
    void zone_reads_ids_and_explains_unknown_ones() {
        assertEquals(ZoneId.of("America/Los_Angeles"), CatalogReader.zone("America/Los_Angeles"));
        assertMentions(assertThrows(CatalogException.class, () -> CatalogReader.zone("Pacific Time")), "Pacific Time");
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, ProviderSpec> read(String yaml) {
        return CatalogReader.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String withModelRule(String rule) {
        return minimalProvider("", "        limits:\n          - " + rule + "\n");
    }

    /** A one-provider catalog; extras are YAML lines already indented for the provider (4) or model (8) level. */
    private static String minimalProvider(String providerExtra, String modelExtra) {
        return "providers:\n"
                + "  acme:\n"
                + "    display-name: Acme\n"
                + "    base-url: https://acme.example/v1/\n"
                + "    auth-header: Authorization\n"
                + "    auth-prefix: \"Bearer \"\n"
                + "    dialect: openai\n"
                + "    reset-zone: UTC\n"
                + "    stream-usage: true\n"
                + "    pooling-restricted: false\n"
                + "    terms: None found.\n"
                + "    free-tier: Some.\n"
                + providerExtra
                + "    models:\n"
                + "      m1:\n"
                + "        context-window: 1000\n"
                + "        max-output: 100\n"
                + "        strengths: [simple]\n"
                + "        free: true\n"
                + modelExtra;
    }

    private static void assertMentions(Exception error, String... parts) {
        for (String part : parts) {
            assertTrue(error.getMessage().contains(part), "'" + part + "' not in: " + error.getMessage());
        }
    }

    private static void assertUnique(String where, List<LimitRule> rules) {
        Set<String> identities = rules.stream().map(LimitRule::identity).collect(Collectors.toSet());
        assertEquals(rules.size(), identities.size(), where + " repeats a rule identity: " + rules);
    }
}
