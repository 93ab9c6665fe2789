package dev.freeway.provider;

import dev.freeway.support.RawUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP under every provider call, against a double at the level of TCP: what a refused, silent, redirecting or
 * broken provider looks like to the adapter, and that every early stop closes the upstream request.
 */
class UpstreamClientTest {

    private static final long DEADLINE_MS = 5_000;
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    private static final Duration KEEP = Duration.ofSeconds(30);
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final byte[] BODY = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);

    private static Vertx vertx;
    private static UpstreamClient client;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        client = new UpstreamClient(vertx);
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void a_refused_connection_is_a_connect_failure_so_the_call_counts_as_never_sent() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ConnectException refused = assertThrows(ConnectException.class, () -> client.post(at("http://127.0.0.1:"
                + closedPort + "/v1"), "chat/completions", JSON, BODY, Duration.ofSeconds(5)));
        assertEquals("refused the connection", refused.getMessage());
    }

    @Test
    void a_provider_that_takes_no_connection_within_its_connect_timeout_was_never_sent_to() throws IOException {
        // A listener whose accept queue is full: the kernel drops further connection attempts, as a host behind a
        // black-holing firewall does, so the connect hangs until Freeway gives up on it.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = fill(full);
            try {
                UpstreamClient.Target silent = new UpstreamClient.Target("http://127.0.0.1:" + full.getLocalPort()
                        + "/v1", KEEP, Duration.ofMillis(400));
                UpstreamClient.NeverSent never = assertThrows(UpstreamClient.NeverSent.class, () -> client.post(
                        silent, "chat/completions", JSON, BODY, Duration.ofSeconds(30)));
                assertEquals("accepted no connection within 400 ms", never.getMessage());
                assertTrue(never.timedOut(), "a wait that ran out, not a refusal");
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    /** Connects to {@code server}, which accepts nothing, until its accept queue takes no more. */
    private static List<Socket> fill(ServerSocket server) throws IOException {
        List<Socket> queued = new ArrayList<>();
        while (queued.size() < 64) {
            Socket socket = new Socket();
            try {
                socket.connect(server.getLocalSocketAddress(), 200);
                queued.add(socket);
            } catch (java.net.SocketTimeoutException full) {
                socket.close();
                return queued;
            }
        }
        throw new IllegalStateException("the accept queue never filled");
    }

    @Test
    void a_host_with_no_address_is_a_call_never_sent() {
        // .invalid never resolves (RFC 6761), so nothing can answer for it
        UpstreamClient.NeverSent never = assertThrows(UpstreamClient.NeverSent.class, () -> client.post(at("http://provider.freeway.invalid/v1"), "chat/completions", JSON, BODY,
                Duration.ofSeconds(20)));
        assertEquals("has no address (unknown host)", never.getMessage());
    }

    @Test
    void a_connection_not_up_when_the_wait_ends_is_a_call_never_sent() throws Exception {
        try (RawUpstream upstream = new RawUpstream()) { // takes the TLS hello and answers nothing
            upstream.behave((socket, out) -> upstream.silence(socket, 10_000));
            String tls = upstream.baseUrl().replace("http://", "https://");
            UpstreamClient.NeverSent never = assertThrows(UpstreamClient.NeverSent.class, () -> client.post(at(tls),
                    "chat/completions", JSON, BODY, Duration.ofMillis(300)));
            assertTrue(never.timedOut(), never.getMessage());
            assertEquals(0, upstream.requests(), "no request was written");
        }
    }

    @Test
    void a_tls_handshake_not_finished_within_the_connect_timeout_is_a_call_never_sent() throws Exception {
        try (RawUpstream upstream = new RawUpstream()) { // takes the TCP connection and the TLS hello, answers nothing
            upstream.behave((socket, out) -> upstream.silence(socket, 10_000));
            UpstreamClient.Target tls = new UpstreamClient.Target(upstream.baseUrl().replace("http://", "https://"),
                    KEEP, Duration.ofMillis(400));
            UpstreamClient.NeverSent never = assertThrows(UpstreamClient.NeverSent.class, () -> client.post(tls,
                    "chat/completions", JSON, BODY, Duration.ofSeconds(30)));
            assertEquals("finished no TLS handshake within 400 ms", never.getMessage());
            assertTrue(never.timedOut(), "a wait that ran out, not a certificate refused");
            assertEquals(0, upstream.requests(), "no request was written");
        }
    }

    @Test
    void a_wait_interrupted_before_the_connection_was_up_is_a_call_never_sent() throws Exception {
        try (RawUpstream upstream = new RawUpstream()) { // takes the TLS hello and answers nothing
            upstream.behave((socket, out) -> upstream.silence(socket, 10_000));
            String tls = upstream.baseUrl().replace("http://", "https://");
            IOException stopped = interrupted(() -> client.post(at(tls), "chat/completions", JSON, BODY,
                    Duration.ofSeconds(5)));
            assertTrue(stopped instanceof UpstreamClient.NeverSent, String.valueOf(stopped));
            assertFalse(((UpstreamClient.NeverSent) stopped).timedOut());
            assertEquals(0, upstream.requests(), "no request was written");
        }
    }

    @Test
    void a_wait_interrupted_after_the_request_went_out_may_have_reached_the_provider_and_closes_it()
            throws Exception {
        try (RawUpstream upstream = new RawUpstream()) {
            upstream.behave((socket, out) -> upstream.silence(socket, 10_000));
            IOException stopped = interrupted(() -> client.post(at(upstream.baseUrl()), "chat/completions", JSON,
                    BODY, Duration.ofSeconds(5)));
            assertFalse(stopped instanceof UpstreamClient.NeverSent, String.valueOf(stopped));
            assertEquals(1, upstream.requests());
            assertTrue(upstream.gatewayClosedWithin(DEADLINE_MS), "the abandoned request was left open");
        }
    }

    /** What the call throws when its thread is interrupted 500 ms into the wait (the thread stays interrupted). */
    private static IOException interrupted(Callable<UpstreamClient.Head> call) throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                call.call();
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(Thread.currentThread().isInterrupted() ? e : new AssertionError("not interrupted", e));
            }
        });
        caller.start();
        Thread.sleep(500);
        caller.interrupt();
        Throwable e = thrown.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        assertTrue(e instanceof IOException, String.valueOf(e));
        return (IOException) e;
    }

    @Test
    void a_head_that_never_comes_times_out_and_the_upstream_request_is_closed() throws Exception {
        try (RawUpstream upstream = new RawUpstream()) {
            upstream.behave((socket, out) -> upstream.silence(socket, 10_000));
            HttpTimeoutException timeout = assertThrows(HttpTimeoutException.class, () -> client.post(at(upstream.baseUrl()), "chat/completions", JSON, BODY, Duration.ofMillis(300)));
            assertTrue(timeout.getMessage().contains("no response head"), timeout.getMessage());
            assertTrue(upstream.gatewayClosedWithin(DEADLINE_MS), "the silent request was left open");
        }
    }

    @Test
    void a_connection_the_provider_closed_while_the_event_loop_was_held_up_is_not_used_again() throws Exception {
        Vertx one = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)); // so the pool's loop is the one held
        UpstreamClient onOneLoop = new UpstreamClient(one);
        try (RawUpstream upstream = new RawUpstream()) {
            upstream.behave((socket, out) -> {
                RawUpstream.jsonKeepingTheConnection(out, "{}");
                Thread.sleep(300); // then closes the idle keep-alive connection, as providers do
            });
            UpstreamClient.Head first = onOneLoop.post(at(upstream.baseUrl()), "chat/completions", JSON, BODY,
                    Duration.ofSeconds(5));
            assertEquals("{}", text(first.body().next(deadline())));
            assertNull(first.body().next(deadline()), "read to its end, the connection goes back to the pool");
            CountDownLatch held = new CountDownLatch(1);
            one.runOnContext(v -> { // a collector pause or a frozen process, as far as the loop can tell
                held.countDown();
                sleep(1500);
            });
            held.await();
            Thread.sleep(800); // the provider closes the connection; the held loop has not read that yet
            UpstreamClient.Head second = onOneLoop.post(at(upstream.baseUrl()), "chat/completions", JSON, BODY,
                    Duration.ofSeconds(5));
            assertEquals(200, second.status(), "sent on the closed connection, it failed as if it had been sent");
            assertEquals(2, upstream.requests());
        } finally {
            one.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void an_idle_connection_is_closed_once_the_providers_keep_alive_has_passed() throws Exception {
        try (RawUpstream upstream = new RawUpstream()) {
            upstream.behave((socket, out) -> {
                RawUpstream.jsonKeepingTheConnection(out, "{}");
                upstream.silence(socket, 10_000); // keeps the connection until the gateway closes it
            });
            UpstreamClient.Head head = client.post(new UpstreamClient.Target(upstream.baseUrl(), Duration.ofSeconds(1), CONNECT), "chat/completions", JSON,
                    BODY, Duration.ofSeconds(5));
            assertEquals("{}", text(head.body().next(deadline())));
            assertNull(head.body().next(deadline()));
            assertTrue(upstream.gatewayClosedWithin(DEADLINE_MS), "the idle connection outlived its keep-alive");
        }
    }

    @Test
    void a_redirect_is_answered_as_it_came_and_never_followed() throws Exception {
        try (RawUpstream elsewhere = new RawUpstream(); RawUpstream upstream = new RawUpstream()) {
            elsewhere.behave((socket, out) -> RawUpstream.json(out, 200, "{}"));
            upstream.behave((socket, out) -> out.write(("HTTP/1.1 307 Temporary Redirect\r\nLocation: "
                    + elsewhere.baseUrl() + "/chat/completions\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            UpstreamClient.Head head = post(upstream);
            assertEquals(307, head.status());
            assertEquals(0, elsewhere.requests(), "the redirect was followed");
        }
    }

    @Test
    void a_post_sent_from_an_event_loop_holds_it_for_nothing_and_its_head_comes_on_the_pools_loop() throws Exception {
        try (RawUpstream upstream = new RawUpstream()) {
            upstream.behave((socket, out) -> out.write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
                    .getBytes(StandardCharsets.US_ASCII)));
            java.util.concurrent.CompletableFuture<String> seen = new java.util.concurrent.CompletableFuture<>();
            vertx.runOnContext(v -> {
                long sent = System.nanoTime();
                var head = client.postAsync(at(upstream.baseUrl()), "chat/completions", JSON, BODY,
                        Duration.ofSeconds(5));
                long heldMs = (System.nanoTime() - sent) / 1_000_000;
                head.whenComplete((h, e) -> seen.complete(heldMs + " " + (e == null ? h.status() : e.toString())
                        + " " + Thread.currentThread().getName().startsWith("vert.x-eventloop")));
            });
            String[] answer = seen.get(DEADLINE_MS, java.util.concurrent.TimeUnit.MILLISECONDS).split(" ");
            assertTrue(Long.parseLong(answer[0]) < 100, "the event loop was held " + answer[0] + " ms");
            assertEquals("200", answer[1]);
            assertEquals("true", answer[2], "answered on an event loop");
        }
    }

    @Test
    void a_post_sent_without_blocking_that_gets_no_head_fails_in_time_and_closes_the_request() throws Exception {
        try (RawUpstream upstream = new RawUpstream()) {
            upstream.behave((socket, out) -> upstream.silence(socket, 10_000));
            var head = client.postAsync(at(upstream.baseUrl()), "chat/completions", JSON, BODY, Duration.ofMillis(300));
            var failed = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> head.get(DEADLINE_MS, java.util.concurrent.TimeUnit.MILLISECONDS));
            assertTrue(failed.getCause() instanceof HttpTimeoutException, String.valueOf(failed.getCause()));
            assertTrue(upstream.gatewayClosedWithin(DEADLINE_MS), "the silent request was left open");
        }
    }

    @Test
    void header_names_are_lower_case_with_every_value_and_a_long_header_is_taken() throws Exception {
        String longValue = "x".repeat(20_000); // some providers send long trace and rate-limit headers
        try (RawUpstream upstream = new RawUpstream()) {
            upstream.behave((socket, out) -> out.write(("HTTP/1.1 200 OK\r\nX-RateLimit-Remaining-Requests: 7\r\n"
                    + "Via: a\r\nVia: b\r\nX-Trace: " + longValue + "\r\nContent-Length: 2\r\nConnection: close"
                    + "\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII)));
            UpstreamClient.Head head = post(upstream);
            assertEquals(List.of("7"), head.headers().get("x-ratelimit-remaining-requests"));
            assertEquals(List.of("a", "b"), head.headers().get("via"));
            assertEquals(longValue, head.headers().get("x-trace").get(0));
            assertEquals("{}", text(head.body().next(deadline())));
            assertNull(head.body().next(deadline()), "the body ends after its length");
        }
    }

    @Test
    void the_body_arrives_in_order_and_a_reset_mid_body_is_a_broken_read() throws Exception {
        try (RawUpstream upstream = new RawUpstream()) {
            upstream.behave((socket, out) -> {
                RawUpstream.sseHeaders(out);
                RawUpstream.chunk(out, "data: one\n\n");
                Thread.sleep(100);
                RawUpstream.chunk(out, "data: two\n\n");
                Thread.sleep(100);
                RawUpstream.reset(socket);
            });
            UpstreamClient.Head head = post(upstream);
            assertEquals("data: one\n\n", text(head.body().next(deadline())));
            assertEquals("data: two\n\n", text(head.body().next(deadline())));
            assertThrows(IOException.class, () -> head.body().next(deadline()));
        }
    }

    @Test
    void a_body_cancelled_mid_way_closes_the_upstream_request() throws Exception {
        try (RawUpstream upstream = new RawUpstream()) {
            upstream.behave((socket, out) -> {
                RawUpstream.sseHeaders(out);
                RawUpstream.chunk(out, "data: one\n\n");
                upstream.silence(socket, 10_000);
            });
            UpstreamClient.Head head = post(upstream);
            assertEquals("data: one\n\n", text(head.body().next(deadline())));
            head.body().cancel();
            assertTrue(upstream.gatewayClosedWithin(DEADLINE_MS), "the cancelled request was left open");
        }
    }

    @Test
    void a_reader_that_falls_behind_holds_the_provider_back_instead_of_buffering_its_answer() throws Exception {
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        String piece = "data: " + "x".repeat(64 * 1024) + "\n\n";
        try (RawUpstream upstream = new RawUpstream()) {
            upstream.behave((socket, out) -> {
                RawUpstream.sseHeaders(out);
                for (int i = 0; i < 1_600; i++) { // 100 MB, if nothing held it back
                    RawUpstream.chunk(out, piece);
                    written.addAndGet(piece.length());
                }
            });
            UpstreamClient.Head head = post(upstream);
            Thread.sleep(1_000); // the reader takes nothing
            long held = written.get();
            assertTrue(held < 24L * 1024 * 1024, "the provider wrote " + held + " bytes to a reader that took none");
            assertTrue(text(head.body().next(deadline())).startsWith("data: xxx"), "what was held back still comes");
            head.body().cancel();
            assertTrue(upstream.gatewayClosedWithin(DEADLINE_MS), "the cancelled request was left open");
        }
    }

    /** A chat completions call to the double, given 5 s for its head. */
    private static UpstreamClient.Head post(RawUpstream upstream) throws IOException {
        return client.post(at(upstream.baseUrl()), "chat/completions", JSON, BODY, Duration.ofSeconds(5));
    }

    private static long deadline() {
        return System.nanoTime() + DEADLINE_MS * 1_000_000;
    }

    private static String text(List<ByteBuffer> piece) {
        StringBuilder text = new StringBuilder();
        piece.forEach(buffer -> text.append(StandardCharsets.UTF_8.decode(buffer.duplicate())));
        return text.toString();
    }

    /** A provider at {@code base}, its connections kept and made as by default. */
    private static UpstreamClient.Target at(String base) {
        return new UpstreamClient.Target(base, KEEP, CONNECT);
    }
}
