package dev.freeway.provider;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;

/**
 * HTTP to providers, on the Vert.x client the server already runs on: one client per base URL, its connections on
 * one event loop. A caller blocks for the response head only (bounded); the body then arrives piece by piece into a
 * {@link BodyQueue}, a bounded window of pieces ahead of the reader, so a slow reader holds the provider back instead
 * of buffering its answer.
 * Measured against the JDK client it replaced (bench/PROFILE.md §4): the upstream call's share of the gateway's CPU
 * at 64 connections fell from a fifth to about a tenth, and no selector thread of its own is woken per call.
 *
 * <p>Redirects are never followed (the core client follows none unless told to), so a key never goes to another
 * origin.
 */
@ApplicationScoped
public class UpstreamClient {

    /** A provider's headers are small; this still admits the long rate-limit and trace headers some send. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    /** A request task this late to run found its event loop held up: it waits one turn (see {@link #post}). */
    private static final Duration STALLED = Duration.ofMillis(100);

    private final Vertx vertx;
    /** One pool per target: two providers at one URL may keep or connect differently. */
    private final Map<Target, Pool> pools = new ConcurrentHashMap<>();

    @Inject
    public UpstreamClient(Vertx vertx) {
        this.vertx = vertx;
    }

    /** What a provider answered first: its status and headers; the body follows in {@link #body()}. */
    public record Head(int status, Map<String, List<String>> headers, BodyQueue body) {
    }

    /**
     * Sends one POST to {@code target.base() + "/" + path} and waits for the response head.
     *
     * @param target        the provider's base URL and how its connections are made and kept: one pool each
     * @param headersWithin how long the provider has to send its status line and headers
     * @throws NeverSent            when the request was never sent, saying why
     * @throws HttpTimeoutException  when no head arrived in time (the request is reset)
     * @throws IOException           when the connection broke before the head
     */
    public Head post(Target target, String path, Map<String, String> headers, byte[] body, Duration headersWithin)
            throws IOException {
        Call call = send(target, path, headers, body, headersWithin);
        try {
            return call.answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            boolean written = call.abandon();
            call.answer.completeExceptionally(e);
            if (call.answered()) {
                call.head.join().body().cancel(); // it came as the wait was interrupted: nobody will read it
                throw new IOException("interrupted", e);
            }
            if (!written) {
                throw new NeverSent("was given up on before a connection was up", e, false);
            }
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /**
     * {@link #post} without blocking: the head, or the failure {@code post} would throw, once it came or the wait
     * ran out. It completes on the pool's event loop, where the body's pieces then arrive.
     */
    public CompletableFuture<Head> postAsync(Target target, String path, Map<String, String> headers, byte[] body,
                                             Duration headersWithin) {
        return send(target, path, headers, body, headersWithin).answer;
    }

    /** One POST on its way: the head to come, the connection once taken, and what the caller is answered. */
    private static final class Call {
        final Pool pool;
        final CompletableFuture<Head> head = new CompletableFuture<>();
        final CompletableFuture<HttpClientRequest> connected = new CompletableFuture<>();
        final CompletableFuture<Head> answer = new CompletableFuture<>();
        /** Set before the head is failed on purpose: whoever gave up answers the caller, saying why. */
        volatile boolean givenUp;

        Call(Pool pool) {
            this.pool = pool;
        }

        /**
         * Stops waiting for the head and resets the request; whether it may have been written. A request whose
         * connection was not up yet never will be: the event loop looks at {@code head} after completing
         * {@code connected}, and this looks at {@code connected} after completing {@code head}, so one of the two
         * sees the other. False, and nothing reset, when the head came first: it is the caller's answer.
         */
        boolean abandon() {
            givenUp = true;
            if (!head.completeExceptionally(new HttpTimeoutException("abandoned")) && !head.isCompletedExceptionally()) {
                return false;
            }
            connected.thenAccept(request -> pool.loop.runOnContext(v -> request.reset()));
            return connected.isDone();
        }

        /** Whether the head came before {@link #abandon}: then the caller has it. */
        boolean answered() {
            return head.isDone() && !head.isCompletedExceptionally();
        }
    }

    private Call send(Target target, String path, Map<String, String> headers, byte[] body, Duration headersWithin) {
        Pool pool = pools.computeIfAbsent(target, this::pool);
        Call call = new Call(pool);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(target.base() + "/" + path);
        headers.forEach(options::putHeader);
        long queued = System.nanoTime();
        long timer = vertx.setTimer(Math.max(1, headersWithin.toMillis()), late -> timedOut(call, headersWithin));
        call.head.whenComplete((head, failure) -> vertx.cancelTimer(timer));
        // Every request starts on its pool's event loop, so its connection and all its callbacks stay there.
        pool.loop.runOnContext(v -> {
            if (System.nanoTime() - queued > STALLED.toNanos()) {
                // The loop was held up (a collector pause, a starved or frozen process): a provider may have closed
                // an idle connection meanwhile, its close not yet read, and this task runs before the loop reads
                // again. A request on that connection would fail as if it had reached the provider; one loop turn
                // later the close has been seen and the pool hands out a live connection.
                pool.loop.owner().setTimer(1, turn -> start(pool, options, body, call.head, call.connected));
            } else {
                start(pool, options, body, call.head, call.connected);
            }
        });
        call.head.whenComplete((head, failure) -> {
            if (failure == null) {
                call.answer.complete(head);
            } else if (!call.givenUp) {
                call.answer.completeExceptionally(asIo(failure, target));
            }
        });
        return call;
    }

    /** No head within the wait: the request is reset, and the caller told whether it may have gone out. */
    private static void timedOut(Call call, Duration headersWithin) {
        if (call.head.isDone()) {
            return;
        }
        boolean written = call.abandon();
        if (call.answered()) {
            return;
        }
        call.answer.completeExceptionally(written
                ? new HttpTimeoutException("no response head within " + headersWithin)
                : new NeverSent("had no connection up within " + headersWithin.toMillis() + " ms", null, true));
    }

    /** On the pool's event loop: takes a connection and sends the request, unless the caller already gave up. */
    private static void start(Pool pool, RequestOptions options, byte[] body, CompletableFuture<Head> head,
                              CompletableFuture<HttpClientRequest> connected) {
        pool.client.request(options)
                .onFailure(head::completeExceptionally)
                .onSuccess(request -> {
                    connected.complete(request);
                    if (head.isDone()) { // the caller gave up while the pool had no connection free: never sent
                        request.reset();
                        return;
                    }
                    request.send(Buffer.buffer(body))
                            .onFailure(head::completeExceptionally)
                            .onSuccess(response -> {
                                if (!head.complete(receive(pool, request, response))) {
                                    request.reset(); // the caller stopped waiting
                                }
                            });
                });
    }


    /** On the event loop, before any piece of the body can be delivered: the body goes to a queue, on demand. */
    private static Head receive(Pool pool, HttpClientRequest request, HttpClientResponse response) {
        response.pause();
        BodyQueue queue = new BodyQueue();
        Pieces pieces = new Pieces(pool.loop, request, response);
        // Vert.x hands each piece over in a heap buffer of its own, so it is kept without a copy
        response.handler(buffer -> queue.onNext(List.of(buffer.getByteBuf().nioBuffer())));
        response.exceptionHandler(error -> {
            pieces.ended = true;
            queue.onError(error);
        });
        response.endHandler(v -> {
            pieces.ended = true;
            queue.onComplete();
        });
        queue.onSubscribe(pieces);
        return new Head(response.statusCode(), headers(response.headers()), queue);
    }

    /**
     * Demand and cancellation of one response body, from the reader's thread. The reader may fall up to
     * {@link #WINDOW} pieces behind before the provider is held back; demand is renewed half a window at a time,
     * because each renewal that finds pieces waiting costs a task on the event loop (one per piece, for a stream's
     * chunks, when it was renewed one at a time).
     */
    private static final class Pieces implements Flow.Subscription {
        private static final int WINDOW = 32;

        private final Context loop;
        private final HttpClientRequest request;
        private final HttpClientResponse response;
        /** Pieces taken since demand was last renewed: only ever touched by whoever reads the queue. */
        private long taken;
        volatile boolean ended;

        Pieces(Context loop, HttpClientRequest request, HttpClientResponse response) {
            this.loop = loop;
            this.request = request;
            this.response = response;
            response.fetch(WINDOW);
        }

        @Override
        public void request(long n) {
            taken += n;
            if (taken >= WINDOW / 2) {
                response.fetch(taken); // thread-safe: Vert.x's inbound buffer hands waiting pieces to the event loop
                taken = 0;
            }
        }

        @Override
        public void cancel() {
            if (!ended) { // a body read to its end leaves the connection for the next request
                loop.runOnContext(v -> request.reset());
            }
        }
    }

    /**
     * A call that never left: the connection was refused, had no address, failed its TLS handshake, or was not up
     * in time ({@link #timedOut()}).
     */
    public static final class NeverSent extends ConnectException {
        private final boolean timedOut;

        NeverSent(String what, Throwable cause) {
            this(what, cause, false);
        }

        NeverSent(String what, Throwable cause, boolean timedOut) {
            super(what);
            initCause(cause);
            this.timedOut = timedOut;
        }

        public boolean timedOut() {
            return timedOut;
        }
    }

    private static IOException asIo(Throwable cause, Target target) {
        // nothing is written before the connection and its handshake are up; a wait that ran out is named as one,
        // wherever it sits (Vert.x wraps a handshake timeout in a plain handshake failure)
        for (Throwable why = cause; why != null; why = why.getCause()) {
            if (why instanceof io.netty.handler.ssl.SslHandshakeTimeoutException) {
                return new NeverSent("finished no TLS handshake within " + target.connectWithin().toMillis() + " ms",
                        why, true);
            }
            if (why instanceof io.netty.channel.ConnectTimeoutException) {
                return new NeverSent("accepted no connection within " + target.connectWithin().toMillis() + " ms", why,
                        true);
            }
        }
        for (Throwable why = cause; why != null; why = why.getCause()) {
            if (why instanceof UnknownHostException) {
                return new NeverSent("has no address (unknown host)", why);
            }
            if (why instanceof SSLHandshakeException) {
                return new NeverSent("failed the TLS handshake (a certificate that is not trusted or does not name"
                        + " the host)", why);
            }
            if (why instanceof ConnectException) {
                return new NeverSent("refused the connection", why);
            }
        }
        return cause instanceof IOException io ? io : new IOException(cause);
    }

    private static Map<String, List<String>> headers(MultiMap headers) {
        Map<String, List<String>> lower = new TreeMap<>();
        headers.forEach(header -> lower.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT),
                name -> new ArrayList<>(1)).add(header.getValue()));
        return lower;
    }

    private Pool pool(Target target) {
        boolean tls = target.base().startsWith("https");
        long connectMs = Math.min(Integer.MAX_VALUE, Math.max(1, target.connectWithin().toMillis()));
        HttpClientOptions options = new HttpClientOptions()
                // the connection, then its TLS handshake, each within the provider's connect timeout
                .setConnectTimeout((int) connectMs)
                .setSslHandshakeTimeout(connectMs)
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                .setKeepAlive(true)
                // idle connections are dropped before the provider's own idle limit (see Timeouts.keepAlive), so
                // a request is not written into a connection the provider is closing
                .setKeepAliveTimeout((int) Math.max(1, (target.keepAlive().toMillis() + 999) / 1000))
                .setTcpNoDelay(true)
                // as many connections as calls in flight: a provider's own limits, not the pool, bound them
                .setMaxPoolSize(1024)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setSsl(tls)
                // h2 where TLS negotiates it; plain-text local servers (Ollama, vLLM, doubles) speak 1.1
                .setUseAlpn(tls)
                .setProtocolVersion(tls ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1);
        return new Pool(vertx.createHttpClient(options), ((VertxInternal) vertx).createEventLoopContext());
    }

    /**
     * Where a provider is and how its connections are made and kept.
     *
     * @param base          the provider's base URL
     * @param keepAlive     how long an idle connection is kept for the next call (whole seconds, at least one)
     * @param connectWithin how long a new connection may take, and then its TLS handshake
     */
    public record Target(String base, Duration keepAlive, Duration connectWithin) {
    }

    private record Pool(HttpClient client, Context loop) {
    }
}
