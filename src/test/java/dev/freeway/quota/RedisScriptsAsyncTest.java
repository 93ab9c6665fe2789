package dev.freeway.quota;

import dev.freeway.support.RedisServer;
import dev.freeway.support.Resp;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A script run without blocking: the caller's thread (an event loop) is never held, the answer comes when Redis
 * gives it, and a Redis that does not answer fails the call within the timeout's patience, as the blocking form does.
 */
class RedisScriptsAsyncTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    /** Scheduling slack on a busy two-core machine. */
    private static final long SLACK_MS = 400;

    private RedisServer redis;
    private Vertx vertx;
    private RedisScripts scripts;
    private final String key = "async:" + UUID.randomUUID();

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        vertx = Vertx.vertx();
        scripts = new RedisScripts(redis.client(vertx), TIMEOUT);
    }

    @AfterEach
    void stop() {
        vertx.closeAndAwait();
        redis.close();
    }

    private CompletableFuture<Response> add(long amount) {
        return scripts.evalAsync(LuaScript.COUNTER, List.of(key), List.of("60000", Long.toString(amount)));
    }

    @Test
    void a_script_answers_without_the_caller_waiting_for_it() throws Exception {
        assertEquals(5, add(5).get(5, TimeUnit.SECONDS).toLong());
        Resp.command(redis.port(), "CLIENT", "PAUSE", "700", "ALL");

        long start = System.nanoTime();
        CompletableFuture<Response> paused = add(2);
        assertTrue(millisSince(start) < 100, "the call returned after " + millisSince(start) + " ms");
        assertFalse(paused.isDone(), "Redis is paused: no answer yet");

        ExecutionException failed = assertThrows(ExecutionException.class, () -> paused.get(5, TimeUnit.SECONDS));
        assertTrue(millisSince(start) < TIMEOUT.toMillis() * RedisWait.PATIENCE + SLACK_MS,
                "given up on after " + millisSince(start) + " ms");
        QuotaUnavailableException unavailable = assertInstanceOf(QuotaUnavailableException.class, failed.getCause());
        assertTrue(unavailable.getMessage().contains("no answer within 300 ms"), unavailable.getMessage());
        assertTrue(scripts.degraded());

        Thread.sleep(800); // the pause is over: the call given up on may have run after all, the next one runs
        long after = add(1).get(5, TimeUnit.SECONDS).toLong();
        assertTrue(after == 6 || after == 8, "counter " + after);
        assertFalse(scripts.degraded());
    }

    @Test
    void a_script_run_from_an_event_loop_answers_on_it_and_holds_no_thread() throws Exception {
        CompletableFuture<String> thread = new CompletableFuture<>();
        vertx.runOnContext(() -> add(3).whenComplete((r, e) -> thread.complete(Thread.currentThread().getName()
                + (e == null ? " " + r.toLong() : " " + e))));
        String answered = thread.get(5, TimeUnit.SECONDS);
        assertTrue(answered.startsWith("vert.x-eventloop") && answered.endsWith(" 3"), answered);
    }

    @Test
    void a_node_that_forgot_its_scripts_is_sent_the_source_within_the_same_call() throws Exception {
        assertEquals(1, add(1).get(5, TimeUnit.SECONDS).toLong());
        Resp.command(redis.port(), "SCRIPT", "FLUSH");
        assertEquals(2, add(1).get(5, TimeUnit.SECONDS).toLong());
        assertFalse(scripts.degraded());
    }

    @Test
    void an_error_redis_answers_fails_the_call_as_refused_and_leaves_it_healthy() throws Exception {
        Resp.command(redis.port(), "SET", key, "not a hash");
        ExecutionException failed = assertThrows(ExecutionException.class, () -> add(1).get(5, TimeUnit.SECONDS));
        QuotaUnavailableException refused = assertInstanceOf(QuotaUnavailableException.class, failed.getCause());
        assertTrue(refused.refused(), refused.getMessage());
        assertFalse(scripts.degraded());
    }

    @Test
    void a_stopped_redis_fails_the_call_and_the_next_one_after_it_is_back_is_answered() throws Exception {
        assertEquals(1, add(1).get(5, TimeUnit.SECONDS).toLong());
        redis.stopServer();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> add(1).get(5, TimeUnit.SECONDS));
        assertInstanceOf(QuotaUnavailableException.class, failed.getCause());
        redis.startAgain();
        assertEquals(1, add(1).get(5, TimeUnit.SECONDS).toLong(), "a new server holds nothing");
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
