package dev.freeway.cache;

import dev.freeway.quota.RedisScripts;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.provider.Usage;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache's Redis side against a real redis-server: hits and misses counted, TTL, the byte cap, an outage. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponseCacheTest {

    private static final CacheScope ALICE = new CacheScope("a11ce");
    private static final CacheScope BOB = new CacheScope("b0b");
    private static final String KEY = "k".repeat(64);

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

    private ResponseCache cache(Duration ttl, long maxBytes) {
        return new ResponseCache(new RedisScripts(redis.client(vertx), Duration.ofSeconds(2)), ttl, maxBytes, clock);
    }

    private static CachedAnswer answer(String text) {
        ObjectNode completion = object("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1764000000,"model":"openai/gpt-oss-120b",\
                "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],\
                "usage":{"prompt_tokens":11,"completion_tokens":7,"total_tokens":18}}""".formatted(text));
        return new CachedAnswer("groq", "openai/gpt-oss-120b", "team-a", new Usage(11, 7), completion, null);
    }

    private static String key(int i) {
        return String.format("%064d", i);
    }

    private long total(CacheScope scope) {
        String total = Resp.text(redis.port(), "GET", scope.prefix() + "total");
        return total == null ? 0 : Long.parseLong(total);
    }

    @Test
    void a_kept_answer_is_found_for_its_scope_only_and_every_lookup_is_counted() {
        ResponseCache cache = cache(Duration.ofHours(1), 1_000_000);
        assertInstanceOf(ResponseCache.Lookup.Missing.class, cache.lookup(ALICE, KEY));
        cache.put(ALICE, KEY, answer("Hello"));

        var found = assertInstanceOf(ResponseCache.Lookup.Found.class, cache.lookup(ALICE, KEY));
        assertEquals("Hello", found.answer().completion().at("/choices/0/message/content").asText());
        assertEquals("team-a", found.answer().account());
        assertEquals(new Usage(11, 7), found.answer().usage());
        cache.lookup(ALICE, KEY);
        assertInstanceOf(ResponseCache.Lookup.Missing.class, cache.lookup(BOB, KEY), "another scope sees nothing");

        CacheFigures figures = cache.figures(List.of(ALICE, BOB), clock.instant().minus(Duration.ofHours(1)),
                clock.instant().plus(Duration.ofHours(1)));
        assertEquals(2, figures.hits());
        assertEquals(2, figures.misses());
        assertEquals(List.of(new CacheFigures.Saved("groq", "openai/gpt-oss-120b", 2, 22, 14)), figures.saved());
        assertEquals(1, cache.figures(List.of(BOB), clock.instant(), clock.instant().plusSeconds(3600)).misses());
    }

    @Test
    void every_key_expires_and_an_answer_is_gone_after_its_ttl() throws InterruptedException {
        ResponseCache cache = cache(Duration.ofMillis(300), 1_000_000);
        cache.put(ALICE, KEY, answer("soon gone"));
        assertInstanceOf(ResponseCache.Lookup.Found.class, cache.lookup(ALICE, KEY));
        for (Object key : (List<?>) Resp.command(redis.port(), "KEYS", "*")) {
            long ttl = (Long) Resp.command(redis.port(), "PTTL", key.toString());
            assertTrue(ttl > 0, key + " has ttl " + ttl);
        }
        Thread.sleep(450);
        assertInstanceOf(ResponseCache.Lookup.Missing.class, cache.lookup(ALICE, KEY));

        clock.advance(Duration.ofMillis(450));
        cache.put(ALICE, key(2), answer("new"));
        assertEquals(1L, Resp.command(redis.port(), "ZCARD", ALICE.prefix() + "order"), "the expired one is forgotten");
        assertEquals(Long.parseLong(Resp.text(redis.port(), "HGET", ALICE.prefix() + "sizes", key(2))), total(ALICE));
    }

    @Test
    void the_byte_cap_evicts_the_oldest_first_and_is_never_exceeded() {
        CachedAnswer one = answer("x".repeat(200));
        long size = one.stored().length() + "groq".length() + "openai/gpt-oss-120b".length() + "team-a".length();
        ResponseCache cache = cache(Duration.ofHours(1), size * 3 + 10);
        for (int i = 1; i <= 7; i++) {
            assertEquals(ResponseCache.Stored.KEPT, cache.put(ALICE, key(i), one));
            assertTrue(total(ALICE) <= size * 3 + 10, "over the cap after put " + i + ": " + total(ALICE));
            clock.advance(Duration.ofSeconds(1));
        }
        for (int i = 1; i <= 4; i++) {
            assertInstanceOf(ResponseCache.Lookup.Missing.class, cache.lookup(ALICE, key(i)), "evicted: " + i);
        }
        for (int i = 5; i <= 7; i++) {
            assertInstanceOf(ResponseCache.Lookup.Found.class, cache.lookup(ALICE, key(i)), "kept: " + i);
        }
        assertEquals(3 * size, total(ALICE));
        assertEquals(3, ((List<?>) Resp.command(redis.port(), "KEYS", ALICE.prefix().replace("{", "\\{")
                .replace("}", "\\}") + "e:*")).size());

        assertEquals(ResponseCache.Stored.TOO_LARGE, cache.put(ALICE, key(9), answer("y".repeat(4 * (int) size))));
        assertInstanceOf(ResponseCache.Lookup.Found.class, cache.lookup(ALICE, key(7)), "nothing evicted for it");
        cache.put(BOB, key(1), one);
        assertEquals(size, total(BOB), "each scope has its own cap");
    }

    @Test
    void a_refresh_replaces_the_kept_answer_and_its_bytes() {
        ResponseCache cache = cache(Duration.ofHours(1), 1_000_000);
        cache.put(ALICE, KEY, answer("old"));
        cache.put(ALICE, KEY, answer("newer"));
        var found = assertInstanceOf(ResponseCache.Lookup.Found.class, cache.lookup(ALICE, KEY));
        assertEquals("newer", found.answer().completion().at("/choices/0/message/content").asText());
        assertEquals(Long.parseLong(Resp.text(redis.port(), "HGET", ALICE.prefix() + "sizes", KEY)), total(ALICE));
    }

    @Test
    void with_redis_down_a_lookup_is_a_failure_within_the_timeout_and_never_throws() {
        RedisServer lost = RedisServer.start();
        try {
            ResponseCache cache = new ResponseCache(new RedisScripts(lost.client(vertx), Duration.ofMillis(300)),
                    Duration.ofHours(1), 1_000_000, clock);
            cache.put(ALICE, KEY, answer("kept"));
            lost.stopServer();
            long started = System.nanoTime();
            assertInstanceOf(ResponseCache.Lookup.Failed.class, cache.lookup(ALICE, KEY));
            assertTrue((System.nanoTime() - started) / 1_000_000 < 300 + 700, "gave up within the timeout");
            assertThrows(RuntimeException.class, () -> cache.put(ALICE, KEY, answer("x")),
                    "a put says it failed; the turn that called it carries on");
        } finally {
            lost.close();
        }
    }
}
