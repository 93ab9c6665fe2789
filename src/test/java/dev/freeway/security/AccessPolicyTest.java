package dev.freeway.security;

import dev.freeway.security.AccessPolicy.Area;
import dev.freeway.security.AccessPolicy.Presented;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which paths need which key, how keys are compared, and what the login cookie proves. */
class AccessPolicyTest {

    static final String ADMIN = "admin-key-for-unit-tests";
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final Presented NOTHING = new Presented(null, null, null);

    @Test
    void the_routed_path_drops_matrix_parameters_and_decodes_each_segment() {
        assertEquals("/v1/status", AccessPolicy.routed("/v1;x=1/status;y"));
        assertEquals("/v1/chat/completions", AccessPolicy.routed("/v1%2Fchat/completions"));
        assertEquals("/a+b/é/%zz/%4", AccessPolicy.routed("/a+b/%C3%A9/%zz/%4"));
        assertEquals("/", AccessPolicy.routed(null));
        assertEquals("/v1/", AccessPolicy.routed("/v1/"));
    }

    @Test
    void paths_fall_into_admin_client_or_open_areas_however_they_are_spelled() {
        for (String path : List.of("/v1/status", "/v1/status/", "/V1/Status", "/v1/status;jsessionid=1", "/v1/capacity",
                "/dashboard", "/dashboard/", "/dashboard/logout", "/q/metrics", "/q/metrics/", "/q/dev-ui",
                // as the REST layer routes them: each segment without its matrix parameters, then decoded
                "/v1;x/status", "/v1;/capacity", "/v1%2Fstatus", "/v1%2fstatus;", "/v1;a=b/requests", "/q;x/metrics",
                "/q/health;x", "/demo%2F..%2Fv1/status")) {
            assertEquals(Area.ADMIN, AccessPolicy.areaOf(path), path);
        }
        // every front door under /v1/ (an unknown one too: without the key it is a 401, not a map of what exists)
        for (String path : List.of("/v1/chat/completions", "/v1/models", "/v1/models/groq/openai/gpt-oss-120b",
                "/V1/Chat/Completions", "/v1/responses", "/v1/messages", "/v1/embeddings", "/v1/statusx",
                "/v1;x/chat/completions", "/v1%2Fmessages", "/v1;/models")) {
            assertEquals(Area.CLIENT, AccessPolicy.areaOf(path), path);
        }
        for (String path : List.of("/q/health", "/q/health/ready", "/dashboard/login", "/", "/dashboards")) {
            assertEquals(Area.OPEN, AccessPolicy.areaOf(path), path);
        }
    }

    @Test
    void without_an_admin_key_admin_endpoints_are_locked_and_say_how_to_configure_one() {
        AccessPolicy policy = policy(null, false, List.of());
        Optional<String> refusal = policy.refusal(Area.ADMIN, new Presented("anything", null, null));
        assertEquals(Optional.of(AccessPolicy.NO_ADMIN_KEY), refusal);
        assertTrue(refusal.get().contains("freeway.security.admin-key"));
        assertTrue(refusal.get().contains("freeway.security.open-admin=true"));
        assertEquals(Optional.empty(), policy.login("anything"));
    }

    @Test
    void open_admin_lets_anyone_in() {
        assertEquals(Optional.empty(), policy(null, true, List.of()).refusal(Area.ADMIN, NOTHING));
    }

    @Test
    void the_admin_key_works_raw_or_as_its_sha256_from_either_header() {
        for (String configured : List.of(ADMIN, "sha256:" + sha256(ADMIN), "SHA256:" + sha256(ADMIN).toUpperCase())) {
            AccessPolicy policy = policy(configured, false, List.of());
            assertEquals(Optional.empty(), policy.refusal(Area.ADMIN, new Presented(ADMIN, null, null)), configured);
            assertEquals(Optional.empty(), policy.refusal(Area.ADMIN, new Presented(null, ADMIN, null)), configured);
            assertEquals(Optional.of(AccessPolicy.ADMIN_KEY_WRONG),
                    policy.refusal(Area.ADMIN, new Presented(ADMIN + "x", null, null)));
            assertEquals(Optional.of(AccessPolicy.ADMIN_KEY_NEEDED), policy.refusal(Area.ADMIN, NOTHING));
            // the digest itself is not the key
            assertTrue(policy.refusal(Area.ADMIN, new Presented(sha256(ADMIN), null, null)).isPresent());
        }
    }

    @Test
    void a_malformed_digest_stops_start_up_without_echoing_the_value() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeyDigest.parse("sha256:not-hex-secret", "freeway.security.client-keys"));
        assertTrue(e.getMessage().contains("freeway.security.client-keys"));
        assertFalse(e.getMessage().contains("not-hex-secret"));
    }

    @Test
    void client_keys_are_needed_once_configured_and_never_open_admin_endpoints() {
        AccessPolicy open = policy(ADMIN, false, List.of());
        assertEquals(Optional.empty(), open.refusal(Area.CLIENT, NOTHING));

        AccessPolicy guarded = policy(ADMIN, false, List.of("client-one", "sha256:" + sha256("client-two")));
        assertEquals(Optional.empty(), guarded.refusal(Area.CLIENT, new Presented("client-one", null, null)));
        assertEquals(Optional.empty(), guarded.refusal(Area.CLIENT, new Presented("client-two", null, null)));
        assertEquals(Optional.of(AccessPolicy.CLIENT_KEY_NEEDED), guarded.refusal(Area.CLIENT, NOTHING));
        assertEquals(Optional.of(AccessPolicy.CLIENT_KEY_WRONG),
                guarded.refusal(Area.CLIENT, new Presented("client-three", null, null)));
        assertTrue(guarded.refusal(Area.ADMIN, new Presented("client-one", null, null)).isPresent());
        assertEquals(Optional.empty(), guarded.refusal(Area.OPEN, NOTHING));
    }

    @Test
    void each_client_key_has_a_tag_that_is_neither_the_key_nor_its_digest() {
        AccessPolicy guarded = policy(ADMIN, false, List.of("client-one", "sha256:" + sha256("client-two")));
        List<String> tags = guarded.clientKeyTags("freeway-cache");
        assertEquals(2, tags.size());
        assertEquals(Optional.of(tags.get(0)), guarded.clientKeyTag("client-one", "freeway-cache"));
        assertEquals(Optional.of(tags.get(1)), guarded.clientKeyTag("client-two", "freeway-cache"),
                "a key written as sha256: has the tag the raw key has");
        assertEquals(Optional.empty(), guarded.clientKeyTag("client-three", "freeway-cache"));
        assertEquals(Optional.empty(), guarded.clientKeyTag(null, "freeway-cache"));
        assertTrue(tags.get(0).matches("[0-9a-f]{32}") && !sha256("client-one").contains(tags.get(0)));
        assertTrue(!tags.equals(guarded.clientKeyTags("another-use")), "each use has its own tags");
    }

    @Test
    void the_login_cookie_is_an_expiring_hmac_that_holds_no_key() {
        AccessPolicy policy = policy(ADMIN, false, List.of());
        String cookie = policy.login(ADMIN).orElseThrow();
        assertFalse(cookie.contains(ADMIN));
        assertFalse(cookie.contains(sha256(ADMIN)));
        assertEquals(NOW.plus(Duration.ofHours(12)).getEpochSecond() + ".", cookie.substring(0, cookie.indexOf('.') + 1));
        assertEquals(Optional.empty(), policy.refusal(Area.ADMIN, new Presented(null, null, cookie)));
        assertEquals(Optional.empty(), policy.login("wrong"));

        String forged = (NOW.plus(Duration.ofDays(365)).getEpochSecond()) + cookie.substring(cookie.indexOf('.'));
        assertTrue(policy.refusal(Area.ADMIN, new Presented(null, null, forged)).isPresent(), "a moved expiry");
        AccessPolicy later = new AccessPolicy(config(ADMIN, false, List.of()),
                Clock.fixed(NOW.plus(Duration.ofHours(13)), ZoneOffset.UTC));
        assertTrue(later.refusal(Area.ADMIN, new Presented(null, null, cookie)).isPresent(), "an expired cookie");
        AccessPolicy rekeyed = policy("another-admin-key", false, List.of());
        assertTrue(rekeyed.refusal(Area.ADMIN, new Presented(null, null, cookie)).isPresent(), "a changed key");
    }

    @Test
    void a_loopback_demo_without_an_admin_key_opens_admin_endpoints_and_an_admin_key_locks_them_again() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        AccessPolicy demo = new AccessPolicy(config(null, false, List.of()), clock, true);
        assertEquals(Optional.empty(), demo.refusal(Area.ADMIN, NOTHING));
        assertTrue(demo.openForDemo());
        assertTrue(demo.adminAccessDescription().contains("freeway.security.admin-key"));
        AccessPolicy keyed = new AccessPolicy(config(ADMIN, false, List.of()), clock, true);
        assertTrue(keyed.refusal(Area.ADMIN, NOTHING).isPresent(), "a configured key still guards the demo");
        AccessPolicy reachable = new AccessPolicy(config(null, false, List.of()), clock, false);
        assertTrue(reachable.refusal(Area.ADMIN, NOTHING).isPresent(), "beyond loopback the login form says how");
    }

    static AccessPolicy policy(String admin, boolean open, List<String> clients) {
        return new AccessPolicy(config(admin, open, clients), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static SecurityConfig config(String admin, boolean open, List<String> clients) {
        return new SecurityConfig() {
            @Override
            public Optional<String> adminKey() {
                return Optional.ofNullable(admin);
            }

            @Override
            public boolean openAdmin() {
                return open;
            }

            @Override
            public Optional<List<String>> clientKeys() {
                return clients.isEmpty() ? Optional.empty() : Optional.of(clients);
            }

            @Override
            public java.util.Map<String, ClientConfig> clients() {
                return java.util.Map.of();
            }

            @Override
            public Duration sessionDuration() {
                return Duration.ofHours(12);
            }
        };
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
