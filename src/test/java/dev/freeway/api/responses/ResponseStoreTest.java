package dev.freeway.api.responses;

import dev.freeway.quota.RedisScripts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.error.ApiError;
import dev.freeway.support.MutableClock;
import dev.freeway.support.RedisServer;
import dev.freeway.support.Resp;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.freeway.api.door.DoorFixtures.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Responses store against a real redis-server. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponseStoreTest {

    private static final ClientIdentity ALICE = ClientIdentity.of(true, "fw-client-alice-key");
    private static final ClientIdentity BOB = ClientIdentity.of(true, "fw-client-bob-key");

    private RedisServer redis;
    private Vertx vertx;
    private MutableClock clock;

    @BeforeAll
    void start() {
        redis = RedisServer.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    void stop() {
        vertx.closeAndAwait();
        redis.close();
    }

    @BeforeEach
    void empty() {
        Resp.command(redis.port(), "FLUSHALL");
        clock = new MutableClock(Instant.now());
    }

    private ResponseStore store(Duration ttl, long maxBytes) {
        return new ResponseStore(new RedisScripts(redis.client(vertx), Duration.ofSeconds(5)), ttl, maxBytes, clock);
    }

    private static StoredResponse response(String id, String text) {
        ObjectNode response = object("{\"id\":\"" + id + "\",\"object\":\"response\",\"status\":\"completed\"}");
        List<JsonNode> conversation = List.of(
                object("{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}"),
                object("{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\""
                        + text + "\",\"annotations\":[]}]}"));
        return new StoredResponse(id, response, conversation);
    }

    @Test
    void a_stored_response_comes_back_with_its_conversation_and_is_gone_after_delete() {
        ResponseStore store = store(Duration.ofDays(1), 1_000_000);
        assertEquals(ResponseStore.Stored.KEPT, store.put(ALICE, response("resp_1", "Hello")));

        StoredResponse found = store.get(ALICE, "resp_1").orElseThrow();
        assertEquals("completed", found.response().get("status").asText());
        assertEquals("Hello", found.conversation().get(1).at("/content/0/text").asText());

        assertTrue(store.delete(ALICE, "resp_1"));
        assertTrue(store.get(ALICE, "resp_1").isEmpty());
        assertFalse(store.delete(ALICE, "resp_1"), "a second delete finds nothing");
        assertEquals("0", Resp.text(redis.port(), "GET", "fw:{resp:" + ALICE.value() + "}:total"));
    }

    @Test
    void a_response_belongs_to_the_client_key_that_created_it_and_keys_never_reach_redis() {
        ResponseStore store = store(Duration.ofDays(1), 1_000_000);
        store.put(ALICE, response("resp_a", "for alice"));

        assertTrue(store.get(BOB, "resp_a").isEmpty());
        assertFalse(store.delete(BOB, "resp_a"));
        assertTrue(store.get(ALICE, "resp_a").isPresent());
        assertNotEquals(ALICE, BOB);
        @SuppressWarnings("unchecked")
        List<Object> keys = (List<Object>) Resp.command(redis.port(), "KEYS", "*");
        assertTrue(keys.stream().noneMatch(k -> k.toString().contains("alice-key")), keys.toString());
        assertTrue(keys.stream().allMatch(k -> k.toString().startsWith("fw:{resp:" + ALICE.value() + "}:")));
        assertEquals(ClientIdentity.ANONYMOUS, ClientIdentity.of(false, "fw-client-alice-key"),
                "without client keys every caller shares the anonymous scope");
    }

    @Test
    void every_key_has_a_ttl() {
        ResponseStore store = store(Duration.ofHours(6), 1_000_000);
        store.put(ALICE, response("resp_1", "a"));
        store.put(ALICE, response("resp_2", "b"));
        store.delete(ALICE, "resp_1");

        @SuppressWarnings("unchecked")
        List<Object> keys = (List<Object>) Resp.command(redis.port(), "KEYS", "*");
        assertEquals(4, keys.size(), keys.toString());
        for (Object key : keys) {
            long ttl = (Long) Resp.command(redis.port(), "PTTL", key.toString());
            assertTrue(ttl > 0 && ttl <= Duration.ofHours(6).toMillis(), key + " has ttl " + ttl);
        }
    }

    @Test
    void an_expired_response_is_not_found_and_its_bytes_are_given_back() throws InterruptedException {
        ResponseStore store = store(Duration.ofMillis(300), 1_000_000);
        store.put(ALICE, response("resp_old", "old"));
        Thread.sleep(450);
        assertTrue(store.get(ALICE, "resp_old").isEmpty());

        clock.advance(Duration.ofMillis(450));
        store.put(ALICE, response("resp_new", "new"));
        long stored = Long.parseLong(Resp.text(redis.port(), "GET", "fw:{resp:" + ALICE.value() + "}:total"));
        assertEquals(Long.parseLong(Resp.text(redis.port(), "STRLEN", "fw:{resp:" + ALICE.value() + "}:r:resp_new")),
                stored, "only the live response is counted");
    }

    @Test
    void the_byte_cap_evicts_the_oldest_responses_first() {
        long one = bytesOf(response("resp_1", "x".repeat(200)));
        ResponseStore store = store(Duration.ofDays(1), one * 3 + 10);
        for (int i = 1; i <= 5; i++) {
            store.put(ALICE, response("resp_" + i, "x".repeat(200)));
            clock.advance(Duration.ofSeconds(1));
        }

        assertTrue(store.get(ALICE, "resp_1").isEmpty());
        assertTrue(store.get(ALICE, "resp_2").isEmpty());
        for (int i = 3; i <= 5; i++) {
            assertTrue(store.get(ALICE, "resp_" + i).isPresent(), "resp_" + i);
        }
        long total = Long.parseLong(Resp.text(redis.port(), "GET", "fw:{resp:" + ALICE.value() + "}:total"));
        assertTrue(total <= one * 3 + 10, "total " + total);
    }

    @Test
    void a_response_larger_than_the_whole_cap_is_not_kept_and_evicts_nothing() {
        ResponseStore store = store(Duration.ofDays(1), 2_000);
        store.put(ALICE, response("resp_small", "s"));
        assertEquals(ResponseStore.Stored.TOO_LARGE, store.put(ALICE, response("resp_big", "x".repeat(5_000))));
        assertTrue(store.get(ALICE, "resp_small").isPresent());
        assertTrue(store.get(ALICE, "resp_big").isEmpty());
    }

    @Test
    void missing_responses_get_clear_404s_naming_the_ttl() {
        ResponseStore store = store(Duration.ofDays(1), 1_000);
        ApiError previous = store.previousNotFound("resp_gone");
        assertEquals(404, previous.status());
        assertEquals("previous_response_id", previous.param());
        assertTrue(previous.getMessage().contains("not found or expired") && previous.getMessage().contains("1d"),
                previous.getMessage());
        assertEquals(404, store.notFound("resp_x").status());
        assertTrue(store.get(ALICE, "x}{y").isEmpty(), "an id that would break the hash tag is simply not found");
        assertFalse(store.delete(ALICE, "{resp:other}"));
    }

    @Test
    void an_unreachable_redis_is_a_503_that_says_what_to_do() {
        RedisServer gone = RedisServer.start();
        ResponseStore store = new ResponseStore(new RedisScripts(gone.client(vertx), Duration.ofMillis(500)),
                Duration.ofDays(1), 1_000, clock);
        gone.close();
        ApiError error = assertThrows(ApiError.class, () -> store.get(ALICE, "resp_1"));
        assertEquals(503, error.status());
        assertTrue(error.getMessage().contains("store: false"));
    }

    private static long bytesOf(StoredResponse stored) {
        ObjectNode value = dev.freeway.api.door.DoorFixtures.JSON.createObjectNode();
        value.set("response", stored.response());
        value.putArray("conversation").addAll(stored.conversation());
        return value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
