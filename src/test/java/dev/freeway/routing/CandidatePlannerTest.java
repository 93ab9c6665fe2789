package dev.freeway.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.config.FreewayConfig;
import dev.freeway.config.Pool;
import dev.freeway.routing.task.Task;
import dev.freeway.support.ConfigFixture;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Candidate planning with a fixed clock: windows, capabilities, preservation, schedules, circuits, fallback chain. */
class CandidatePlannerTest {

    private static final String PROVIDERS = """
            freeway:
              providers:
                groq:
                  accounts: [{ id: a, api-key: k }]
                google-gemini:
                  accounts: [{ id: p, api-key: k }]
                zai:
                  accounts: [{ id: z, api-key: k }]
                cerebras:
                  accounts: [{ id: c, api-key: k }]
              routing:
                tasks:
                  coding: [groq/openai/gpt-oss-120b, google-gemini/gemini-2.5-flash, zai/glm-4.7-flash, openrouter/qwen/qwen3-coder:free]
                  simple: [google-gemini/gemma-3-27b-it, groq/openai/gpt-oss-20b]
                  max_context: [google-gemini/gemini-2.5-flash, zai/glm-4.7-flash, groq/openai/gpt-oss-120b]
            """;
    /** Wednesday 2026-11-25 10:00 in Berlin. */
    private static final Instant MORNING_IN_BERLIN = Instant.parse("2026-11-25T09:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_task_alias_plans_its_chain_in_order_leaving_out_providers_without_accounts() {
        assertEquals(List.of("groq/openai/gpt-oss-120b", "google-gemini/gemini-2.5-flash", "zai/glm-4.7-flash"),
                labels(planner(PROVIDERS).plan(request("auto:coding", Task.CODING, 100, Set.of()))));
    }

    @Test
    void a_model_whose_window_cannot_hold_prompt_plus_output_is_left_out_with_the_reason() {
        Plan plan = planner(PROVIDERS).plan(request("auto:max_context", Task.MAX_CONTEXT, 250_000, Set.of()));
        assertEquals(List.of("google-gemini/gemini-2.5-flash"), labels(plan));
        assertTrue(plan.skipped().stream().anyMatch(s -> s.candidate().equals("groq/openai/gpt-oss-120b")
                && s.reason().startsWith("context window 131072")), plan.skipped().toString());
        assertTrue(plan.skipped().stream().anyMatch(s -> s.candidate().equals("zai/glm-4.7-flash")));
    }

    @Test
    void a_request_needing_tools_or_images_gets_only_models_that_can() {
        assertEquals(List.of("groq/openai/gpt-oss-20b"),
                labels(planner(PROVIDERS).plan(request("auto:simple", Task.SIMPLE, 10, Set.of("tools")))));
        assertEquals(List.of("google-gemini/gemini-2.5-flash"),
                labels(planner(PROVIDERS).plan(request("auto:coding", Task.CODING, 10, Set.of("vision")))));
    }

    @Test
    void a_preserved_model_goes_first_for_the_requests_it_is_kept_for_and_last_for_the_others() {
        String yaml = PROVIDERS + """
                    preserve:
                      - model: google-gemini/gemini-2.5-flash
                        for: [max_context]
                        min-prompt-tokens: 60000
                """;
        CandidatePlanner planner = planner(yaml);
        Plan small = planner.plan(request("auto:coding", Task.CODING, 500, Set.of()));
        assertEquals(List.of("groq/openai/gpt-oss-120b", "zai/glm-4.7-flash", "google-gemini/gemini-2.5-flash"),
                labels(small), "a small prompt may still use it once everything else is spent");
        assertTrue(small.skipped().isEmpty(), small.skipped().toString());

        assertEquals(List.of("groq/openai/gpt-oss-120b", "google-gemini/gemini-2.5-flash", "zai/glm-4.7-flash"),
                labels(planner.plan(request("auto:coding", Task.CODING, 70_000, Set.of()))),
                "a big prompt uses it in its place");
        assertEquals("google-gemini/gemini-2.5-flash",
                labels(planner.plan(request("auto:max_context", Task.MAX_CONTEXT, 40_000, Set.of()))).get(0));
    }

    @Test
    void a_preserved_model_tried_last_comes_after_the_fallback_chain_too() {
        String yaml = PROVIDERS + """
                    fallback-chain: [cerebras]
                    preserve:
                      - { model: groq/openai/gpt-oss-120b, for: [reasoning] }
                """;
        List<String> plan = labels(planner(yaml).plan(request("auto:coding", Task.CODING, 100, Set.of())));
        assertEquals("groq/openai/gpt-oss-120b", plan.get(plan.size() - 1), plan.toString());
        assertTrue(plan.indexOf("cerebras/gpt-oss-120b") < plan.size() - 1, plan.toString());
    }

    @Test
    void a_rule_that_says_never_keeps_the_model_from_other_requests_and_says_why() {
        String yaml = PROVIDERS + """
                    preserve:
                      - { model: google-gemini/gemini-2.5-flash, for: [max_context], others: never }
                """;
        Plan small = planner(yaml).plan(request("auto:coding", Task.CODING, 500, Set.of()));
        assertEquals(List.of("groq/openai/gpt-oss-120b", "zai/glm-4.7-flash"), labels(small));
        assertTrue(small.skipped().stream().anyMatch(s -> s.candidate().equals("google-gemini/gemini-2.5-flash")
                && s.reason().equals("preserved for other requests")), small.skipped().toString());
    }

    @Test
    void a_provider_named_in_a_task_list_stands_for_its_models_of_that_task_best_first() {
        CandidatePlanner planner = planner("""
                freeway:
                  providers:
                    groq:
                      accounts: [{ id: a, api-key: k }]
                    google-gemini:
                      accounts: [{ id: p, api-key: k }]
                  routing:
                    tasks:
                      coding: [groq, qwen, google, google-gemini/gemini-2.5-flash]
                      max_context: [google-gemini]
                """);
        List<String> coding = labels(planner.plan(request("auto:coding", Task.CODING, 100, Set.of())));
        assertEquals("groq/openai/gpt-oss-120b", coding.get(0), "the priced, larger model first: " + coding);
        assertTrue(coding.containsAll(List.of("groq/qwen/qwen3.8-27b", "groq/qwen/qwen3.6-27b")), coding.toString());
        assertTrue(coding.stream().noneMatch(l -> l.equals("groq/openai/gpt-oss-20b")),
                "gpt-oss-20b does not declare coding: " + coding);
        assertEquals("google-gemini/gemini-2.5-flash", coding.get(coding.size() - 1), coding.toString());

        List<String> big = labels(planner.plan(request("auto:max_context", Task.MAX_CONTEXT, 40_000, Set.of())));
        assertTrue(big.stream().allMatch(l -> l.startsWith("google-gemini/")), big.toString());
        var windows = big.stream().map(l -> l.substring("google-gemini/".length())).map(m -> ConfigFixture
                .pool(ConfigFixture.config(PROVIDERS)).provider("google-gemini").orElseThrow().spec().model(m)
                .orElseThrow().contextWindow()).toList();
        assertEquals(windows.stream().sorted(java.util.Comparator.reverseOrder()).toList(), windows,
                "largest window first for max_context");
    }

    @Test
    void start_up_reports_each_task_preference_that_names_nothing_configured() {
        Pool pool = ConfigFixture.pool(ConfigFixture.config("""
                freeway:
                  providers:
                    groq:
                      accounts: [{ id: a, api-key: k }]
                  routing:
                    tasks:
                      coding: [groq, qwen, google, groq/no-such-model, cerebras/gpt-oss-120b]
                      creative: [groq]
                """));
        List<String> warnings = pool.remarks().stream().filter(Pool.Remark::warning).map(Pool.Remark::text).toList();
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("freeway.routing.tasks.coding: 'qwen' names nothing"
                + " configured")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("freeway.routing.tasks.coding: 'google' names"
                + " nothing configured")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("'groq/no-such-model' names no model of groq")),
                warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("creative: 'groq' adds nothing")), warnings.toString());
        assertTrue(pool.remarks().stream().anyMatch(r -> !r.warning() && r.text().contains("skipped: cerebras")),
                pool.remarks().toString());
        assertEquals(4, warnings.size(), warnings.toString());
    }

    @Test
    void a_model_the_client_names_is_tried_even_when_preserved() {
        String yaml = PROVIDERS + """
                    preserve:
                      - { model: google-gemini/gemini-2.5-flash, for: [max_context] }
                """;
        assertEquals(List.of("google-gemini/gemini-2.5-flash"), labels(planner(yaml)
                .plan(request("google-gemini/gemini-2.5-flash", Task.CODING, 10, Set.of()))));
    }

    @Test
    void during_a_schedule_window_preferred_providers_go_first_and_avoided_ones_last() {
        String yaml = PROVIDERS + """
                    schedules:
                      - { from: "09:00", to: "17:00", zone: Europe/Berlin, prefer: [zai], avoid: [groq] }
                """;
        RouteRequest coding = request("auto:coding", Task.CODING, 100, Set.of());
        assertEquals(List.of("zai/glm-4.7-flash", "google-gemini/gemini-2.5-flash", "groq/openai/gpt-oss-120b"),
                labels(planner(yaml, MORNING_IN_BERLIN, p -> false).plan(coding)));
        assertEquals(List.of("groq/openai/gpt-oss-120b", "google-gemini/gemini-2.5-flash", "zai/glm-4.7-flash"),
                labels(planner(yaml, Instant.parse("2026-11-25T19:00:00Z"), p -> false).plan(coding)),
                "20:00 in Berlin is outside the window");
    }

    @Test
    void a_schedule_never_puts_a_fallback_ahead_of_the_model_the_client_named() {
        String yaml = PROVIDERS + """
                    fallback-chain: [zai]
                    schedules:
                      - { from: "09:00", to: "17:00", zone: Europe/Berlin, prefer: [zai], avoid: [groq] }
                """;
        List<String> plan = labels(planner(yaml, MORNING_IN_BERLIN, p -> false)
                .plan(request("openai/gpt-oss-120b", Task.CODING, 100, Set.of())));
        assertEquals("groq/openai/gpt-oss-120b", plan.get(0), "the model asked for first, avoided or not: " + plan);
        assertTrue(plan.contains("zai/glm-4.7-flash"), "the fallback still follows: " + plan);
    }

    @Test
    void a_schedule_window_may_span_midnight() {
        String yaml = PROVIDERS + """
                    schedules:
                      - { from: "22:00", to: "06:00", zone: UTC, prefer: [zai] }
                """;
        RouteRequest coding = request("auto:coding", Task.CODING, 100, Set.of());
        assertEquals("zai/glm-4.7-flash", labels(planner(yaml, Instant.parse("2026-11-25T23:30:00Z"), p -> false)
                .plan(coding)).get(0));
        assertEquals("zai/glm-4.7-flash", labels(planner(yaml, Instant.parse("2026-11-26T05:59:00Z"), p -> false)
                .plan(coding)).get(0));
        assertEquals("groq/openai/gpt-oss-120b", labels(planner(yaml, Instant.parse("2026-11-26T06:00:00Z"),
                p -> false).plan(coding)).get(0));
    }

    @Test
    void a_provider_with_an_open_circuit_is_left_out() {
        Plan plan = planner(PROVIDERS, MORNING_IN_BERLIN, "groq"::equals)
                .plan(request("auto:coding", Task.CODING, 100, Set.of()));
        assertEquals(List.of("google-gemini/gemini-2.5-flash", "zai/glm-4.7-flash"), labels(plan));
        assertTrue(plan.skipped().stream().anyMatch(s -> s.reason().equals("circuit open")));
    }

    /** The README's own example: a local server whose model is given only a context window. */
    private static final String README_PROVIDER = """
            freeway:
              providers:
                local-vllm:
                  type: openai-compatible
                  base-url: http://127.0.0.1:8000/v1
                  models:
                    qwen3-8b: { context-window: 32768 }
                  accounts:
                    - { id: lab, api-key: none }
            """;

    @Test
    void a_model_that_declares_nothing_serves_every_task_and_every_capability() {
        CandidatePlanner planner = planner(README_PROVIDER);
        for (Task task : Task.values()) {
            for (Set<String> needs : List.of(Set.<String>of(), Set.of("tools"), Set.of("json"), Set.of("vision"))) {
                assertEquals(List.of("local-vllm/qwen3-8b"), labels(planner.plan(
                        request("auto:" + task.key(), task, 100, needs))), task + " " + needs);
            }
        }
    }

    @Test
    void a_model_without_strengths_comes_after_those_that_declare_the_task() {
        String yaml = PROVIDERS.replace("  routing:", "    local-vllm:\n"
                + "      type: openai-compatible\n"
                + "      base-url: http://127.0.0.1:8000/v1\n"
                + "      models: { qwen3-8b: { context-window: 32768 } }\n"
                + "      accounts: [{ id: lab, api-key: none }]\n"
                + "  routing:");
        List<String> coding = labels(planner(yaml).plan(request("auto:coding", Task.CODING, 100, Set.of())));
        assertEquals(List.of("groq/openai/gpt-oss-120b", "google-gemini/gemini-2.5-flash", "zai/glm-4.7-flash",
                "local-vllm/qwen3-8b"), coding);
    }

    @Test
    void a_declared_capability_list_rules_out_what_it_leaves_out_and_says_so() {
        String yaml = README_PROVIDER.replace("qwen3-8b: { context-window: 32768 }",
                "qwen3-8b: { context-window: 32768, capabilities: [tools] }");
        RouteFailure failure = assertThrows(RouteFailure.class, () -> planner(yaml)
                .plan(request("auto:simple", Task.SIMPLE, 10, Set.of("json"))));
        assertEquals("no_capable_model", failure.code());
        assertTrue(failure.getMessage().contains("local-vllm/qwen3-8b: cannot do json (it declares only tools)"),
                failure.getMessage());
    }

    @Test
    void a_task_no_model_can_take_says_so_and_never_blames_a_circuit() {
        String yaml = README_PROVIDER.replace("qwen3-8b: { context-window: 32768 }",
                "qwen3-8b: { context-window: 32768, strengths: [simple] }");
        RouteFailure failure = assertThrows(RouteFailure.class, () -> planner(yaml)
                .plan(request("auto:creative", Task.CREATIVE, 10, Set.of())));
        assertEquals("no_candidate_for_task", failure.code());
        assertEquals(400, failure.status());
        assertTrue(failure.getMessage().contains("declares strengths without `creative`"), failure.getMessage());
        assertTrue(failure.getMessage().contains("freeway.routing.tasks.creative"), failure.getMessage());
    }

    @Test
    void every_circuit_open_is_a_503_and_nothing_that_fits_is_a_400() {
        RouteFailure open = assertThrows(RouteFailure.class, () -> planner(PROVIDERS, MORNING_IN_BERLIN, p -> true)
                .plan(request("auto:coding", Task.CODING, 100, Set.of())));
        assertEquals(503, open.status());
        RouteFailure tooBig = assertThrows(RouteFailure.class, () -> planner(PROVIDERS)
                .plan(request("auto:coding", Task.CODING, 5_000_000, Set.of())));
        assertEquals("context_length_exceeded", tooBig.code());
    }

    @Test
    void the_fallback_chain_adds_its_providers_models_after_the_task_chain() {
        String yaml = PROVIDERS + """
                    fallback-chain: [cerebras]
                """;
        List<String> plan = labels(planner(yaml).plan(request("auto:coding", Task.CODING, 100, Set.of())));
        assertEquals(List.of("groq/openai/gpt-oss-120b", "google-gemini/gemini-2.5-flash", "zai/glm-4.7-flash"),
                plan.subList(0, 3));
        assertTrue(plan.size() > 3 && plan.subList(3, plan.size()).stream().allMatch(l -> l.startsWith("cerebras/")),
                plan.toString());
    }

    @Test
    void a_chat_fallback_never_lands_on_an_embedding_model() {
        String yaml = PROVIDERS + """
                    fallback-chain: [google-gemini]
                """;
        List<String> plan = labels(planner(yaml).plan(request("auto:coding", Task.CODING, 100, Set.of())));
        assertTrue(plan.stream().anyMatch(l -> l.equals("google-gemini/gemini-3.5-flash")), plan.toString());
        assertTrue(plan.stream().noneMatch(l -> l.contains("embedding")), plan.toString());
    }

    @Test
    void a_bare_model_id_is_served_by_any_provider_that_has_it_then_the_fallback_chain() {
        String yaml = PROVIDERS + """
                    fallback-chain: [zai]
                """;
        List<String> plan = labels(planner(yaml).plan(request("openai/gpt-oss-120b", Task.SIMPLE, 100, Set.of())));
        assertEquals("groq/openai/gpt-oss-120b", plan.get(0));
        assertTrue(plan.contains("zai/glm-4.7-flash"));
    }

    @Test
    void a_configured_alias_resolves_to_a_task_alias_or_a_provider_model_and_plans_as_it() {
        String yaml = PROVIDERS + """
                    aliases:
                      claude-sonnet-4-5: auto:coding
                      "gpt-4.1": groq/openai/gpt-oss-20b
                """;
        Pool pool = ConfigFixture.pool(ConfigFixture.config(PROVIDERS));
        Pool aliased = ConfigFixture.pool(ConfigFixture.config(yaml));
        assertEquals(List.of("groq/openai/gpt-oss-120b", "google-gemini/gemini-2.5-flash", "zai/glm-4.7-flash"),
                labels(new CandidatePlanner(aliased, p -> false, Clock.fixed(MORNING_IN_BERLIN, ZoneOffset.UTC))
                        .plan(request("claude-sonnet-4-5", Task.CODING, 100, Set.of()))));
        ModelAddress coding = ModelAddress.parse("claude-sonnet-4-5", aliased);
        assertTrue(coding.auto());
        assertEquals(Task.CODING, coding.task().orElseThrow());
        ModelAddress pinned = ModelAddress.parse("gpt-4.1", aliased);
        assertEquals("groq", pinned.provider());
        assertEquals("openai/gpt-oss-20b", pinned.model());
        assertFalse(ModelAddress.parse("claude-sonnet-4-5", pool).auto(), "without aliases it is a bare model id");
    }

    @Test
    void an_unknown_alias_names_the_valid_ones() {
        Pool pool = ConfigFixture.pool(ConfigFixture.config(PROVIDERS));
        RouteFailure failure = assertThrows(RouteFailure.class, () -> ModelAddress.parse("auto:poems", pool));
        assertEquals(RouteFailure.Kind.MODEL_NOT_FOUND, failure.kind());
        assertTrue(failure.getMessage().contains("auto:creative"), failure.getMessage());
    }

    private static CandidatePlanner planner(String yaml) {
        return planner(yaml, MORNING_IN_BERLIN, p -> false);
    }

    private static CandidatePlanner planner(String yaml, Instant now, Predicate<String> circuitOpen) {
        FreewayConfig config = ConfigFixture.config(yaml);
        return new CandidatePlanner(ConfigFixture.pool(config), circuitOpen, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static RouteRequest request(String model, Task task, long promptTokens, Set<String> needs) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        return new RouteRequest(body, model, task, promptTokens, 1000, needs);
    }

    private static List<String> labels(Plan plan) {
        return plan.candidates().stream().map(Candidate::label).toList();
    }
}
