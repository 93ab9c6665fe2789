package dev.freeway.check;

import dev.freeway.catalog.CatalogReader;
import dev.freeway.config.InvalidConfigurationException;
import dev.freeway.config.PoolBuilder;
import dev.freeway.support.ConfigFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration check prints the pool of a good configuration and refuses a bad one as start-up does. */
class ConfigCheckTest {

    static final String GOOD = """
            freeway:
              providers:
                groq:
                  accounts:
                    - { id: team-a, api-key: gsk_check_key_one }
                    - { id: team-b, api-key: gsk_check_key_two }
                openrouter:
                  accounts: [{ id: me, api-key: sk-or-check-key-three }]
            """;
    static final String BAD = """
            freeway:
              providers:
                grok:
                  accounts: [{ id: a, api-key: k }]
                openrouter:
                  accounts: [{ id: me }]
            """;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void forget() {
        System.clearProperty("FREEWAY_CONFIG");
    }

    @Test
    void a_good_configuration_prints_providers_accounts_rules_zones_warnings_and_capacity() throws IOException {
        assertEquals(0, check(GOOD));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("groq — GroqCloud"), printed);
        assertTrue(printed.contains("accounts   team-a, team-b (round_robin)"), printed);
        assertTrue(printed.contains("resets in  UTC"), printed);
        assertTrue(printed.contains("openai/gpt-oss-120b, openai/gpt-oss-20b, openai/gpt-oss-safeguard-20b,"
                + " qwen/qwen3.8-27b, qwen/qwen3.6-27b: requests/minute 30, requests/day 1,000, tokens/minute 8,000,"
                + " tokens/day 200,000"), printed);
        assertTrue(printed.contains("account-wide: requests/minute 20, requests/day 50"), printed);
        assertTrue(printed.contains("WARNING    Provider groq has 2 accounts, and its terms restrict pooling"), printed);
        assertTrue(printed.contains("capacity   free: 50 requests and "), printed);
        assertTrue(printed.contains("free capacity  "), printed);
        assertTrue(printed.contains("OK: start-up would accept this configuration (1 terms warning(s) above)."),
                printed);
        assertTrue(!printed.contains("check_key") && !printed.contains("check-key"), "no key is printed");
    }

    @Test
    void a_mistake_exits_non_zero_with_the_message_start_up_gives() throws IOException {
        assertEquals(ConfigCheck.INVALID, check(BAD));
        String startUp = assertThrows(InvalidConfigurationException.class, () -> new PoolBuilder(
                CatalogReader.builtIn()).build(ConfigFixture.config(BAD).providers())).getMessage();
        assertEquals(startUp, err.toString(StandardCharsets.UTF_8).trim());
        assertTrue(startUp.contains("freeway.providers.grok: unknown provider 'grok'"), startUp);
        assertTrue(startUp.contains("freeway.providers.openrouter.accounts[0]: no key"), startUp);
    }

    @Test
    void a_misspelt_key_is_refused() throws IOException {
        assertEquals(ConfigCheck.INVALID, check(GOOD.replace("accounts: [{ id: me", "acounts: [{ id: me")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("acounts"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void the_response_cache_settings_are_known_to_the_check() throws IOException {
        assertEquals(0, check(GOOD.replace("freeway:\n", """
                freeway:
                  cache: { enabled: true, ttl: 30m, max-bytes: 8M, deterministic-only: false, tool-calls: true,
                           shared: true }
                """)), err.toString(StandardCharsets.UTF_8));
        assertEquals(1, check(GOOD.replace("freeway:\n", "freeway:\n  cache: { enabeld: true }\n")), "a misspelt key");
    }

    @Test
    void the_recent_requests_and_stored_responses_settings_are_known_to_the_check() throws IOException {
        assertEquals(0, check(GOOD.replace("freeway:\n", """
                freeway:
                  requests: { keep: 50, keep-for: 1d, keep-content: false }
                  responses: { ttl: 1h }
                """)), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void quota_settings_that_would_refuse_every_call_are_refused_as_start_up_refuses_them() throws IOException {
        assertEquals(ConfigCheck.INVALID, check(GOOD.replace("freeway:\n", """
                freeway:
                  quota: { lease-seconds: 0, redis-timeout: 0s, default-max-output-tokens: -1, ledger-days: 0 }
                  status: { typical-request-input-tokens: 0, typical-request-output-tokens: 0 }
                  requests: { keep: -1 }
                """)));
        String printed = err.toString(StandardCharsets.UTF_8);
        for (String key : List.of("freeway.quota.lease-seconds", "freeway.quota.redis-timeout",
                "freeway.quota.default-max-output-tokens", "freeway.quota.ledger-days",
                "freeway.status.typical-request-input-tokens", "freeway.requests.keep")) {
            assertTrue(printed.contains(key), key + " in: " + printed);
        }
    }

    @Test
    void the_named_clients_share_of_the_free_capacity_is_printed_without_their_keys() throws IOException {
        assertEquals(0, check(GOOD.replace("freeway:\n", """
                freeway:
                  security:
                    clients:
                      alice:
                        key: alice-check-key-0123456789
                        limits: [{ metric: requests, window: day, limit: 500 }, { metric: tokens, window: day, limit: 90000000 }]
                      bob: { key: bob-check-key-0123456789 }
                """)), err.toString(StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("  named clients' share of the free capacity a day:\n"), printed);
        // the pool's free capacity: 11,050 requests and 78,553,600 tokens a day
        assertTrue(printed.contains("    alice: 500 requests (4.5%), 90,000,000 tokens (114.6%)\n"), printed);
        assertTrue(printed.contains("    together: 500 of 11,050 requests, 10,550 left for others; 90,000,000 of"
                + " 78,553,600 tokens, oversubscribed by 11,446,400\n"), printed);
        assertTrue(printed.contains("without limits (they share what is left with requests from no named client):"
                + " bob"), printed);
        assertTrue(!printed.contains("check-key"), "no key is printed");
    }

    @Test
    void client_keys_written_but_empty_are_refused_rather_than_leaving_the_doors_open() throws IOException {
        System.setProperty("FREEWAY_TEST_EMPTY_KEY", "");
        try {
            String locked = GOOD.replace("freeway:\n", "freeway:\n  security: { client-keys: \"${FREEWAY_TEST_EMPTY_KEY}\" }\n");
            assertEquals(ConfigCheck.INVALID, check(locked));
            String said = err.toString(StandardCharsets.UTF_8);
            assertTrue(said.contains("freeway.security.client-keys is set") && said.contains("holds no key"), said);
            assertEquals(0, check(GOOD.replace("freeway:\n", "freeway:\n  security: { client-keys: \"fw-one\" }\n")),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.clearProperty("FREEWAY_TEST_EMPTY_KEY");
        }
    }

    @Test
    void accounts_of_one_provider_under_several_names_get_the_pooling_warning_too() throws IOException {
        assertEquals(0, check("""
                freeway:
                  providers:
                    gemini-a:
                      type: google-gemini
                      accounts: [{ id: one, api-key: AIza_check_key_one }]
                    gemini-b:
                      type: google-gemini
                      accounts: [{ id: two, api-key: AIza_check_key_two }]
                """), err.toString(StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("WARNING: Providers [gemini-a, gemini-b] are all google-gemini, 2 accounts"
                + " together, and its terms restrict pooling accounts"), printed);
    }

    private int check(String yaml) throws IOException {
        Path file = Files.createTempFile("freeway-check", ".yaml");
        Files.writeString(file, yaml);
        System.setProperty("FREEWAY_CONFIG", file.toString());
        try {
            return ConfigCheck.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
