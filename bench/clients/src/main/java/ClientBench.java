import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.client.impl.ClientBuilderImpl;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Upstream clients side by side, as Freeway's provider call uses them: POST a chat completion to the nginx stub and
 * read the answer whole (plain) or event by event as it arrives (streamed: every SSE {@code data:} line is split out,
 * as a relay would). Each client runs in two ways:
 * <ul>
 *   <li><b>worker</b>: C platform threads, each blocking on one call after another (Freeway today: a worker thread
 *       per request, waiting for the client's answer, which arrives on the client's own threads);</li>
 *   <li><b>loop</b>: C calls in flight, each started again from the previous one's completion on the client's event
 *       loop (serving on the event loop: no thread hand-off per request). The JDK client has no event loop of the
 *       caller's: its "loop" chains sendAsync continuations on its own executor.</li>
 * </ul>
 * Prints one line: requests, req/s, p50/p99 ms and this process's CPU time per request (from /proc/self/stat, every
 * thread), which is what the choice of client costs a gateway on its core.
 *
 * <p>Usage: {@code ClientBench CLIENT WAY MODE CONCURRENCY SECONDS STUB_BASE_URL BODY_FILE}, CLIENT one of jdk,
 * jdk-direct (the JDK client with a direct executor), vertx (the Vert.x core HTTP client), webclient (Vert.x
 * WebClient), rest (RESTEasy Reactive's JAX-RS client, which the Quarkus REST Client is built on); WAY worker|loop;
 * MODE json|stream. Loopback only.
 */
public final class ClientBench {

    private static final long CLK_TCK = 100; // getconf CLK_TCK on Linux x86-64

    interface Caller {
        /** One call; completes with the number of SSE events (stream) or body bytes (json) read. */
        CompletionStage<Integer> call();
    }

    public static void main(String[] args) throws Exception {
        String client = args[0];
        String way = args[1];
        boolean stream = args[2].equals("stream");
        int concurrency = Integer.parseInt(args[3]);
        long seconds = Long.parseLong(args[4]);
        URI base = URI.create(args[5]);
        if (!base.getHost().equals("127.0.0.1")) {
            throw new IllegalArgumentException("loopback only");
        }
        String url = base + (stream ? "/stream" : "/json") + "/v1/chat/completions";
        byte[] body = Files.readAllBytes(Path.of(args[6]));
        Caller caller = caller(client, way, URI.create(url), body, stream);

        run(caller, way, concurrency, Math.max(3, seconds), new long[1 << 20]); // warm-up (JIT), not recorded
        long[] samples = new long[1 << 22];
        long cpuBefore = cpuTicks();
        long started = System.nanoTime();
        int n = run(caller, way, concurrency, seconds, samples);
        double elapsed = (System.nanoTime() - started) / 1e9;
        long cpuAfter = cpuTicks();
        long[] sorted = Arrays.copyOf(samples, Math.min(n, samples.length));
        Arrays.sort(sorted);
        System.out.printf("RESULT client=%s way=%s mode=%s c=%d requests=%d rps=%.0f p50=%.3f p99=%.3f"
                        + " cpu_ms_per_request=%.4f%n", client, way, args[2], concurrency, n, n / elapsed,
                pct(sorted, 50), pct(sorted, 99), (cpuAfter - cpuBefore) * 1000.0 / CLK_TCK / n);
        System.exit(0);
    }

    /** Runs for {@code seconds}; returns how many calls completed (their latencies in {@code samples}). */
    private static int run(Caller caller, String way, int concurrency, long seconds, long[] samples)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        if (way.equals("worker")) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                Thread thread = new Thread(() -> {
                    while (System.nanoTime() < deadline) {
                        long begin = System.nanoTime();
                        try {
                            caller.call().toCompletableFuture().get(10, TimeUnit.SECONDS);
                            record(samples, done, System.nanoTime() - begin);
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
        } else {
            CompletableFuture<Void> all = new CompletableFuture<>();
            AtomicLong inFlight = new AtomicLong(concurrency);
            for (int t = 0; t < concurrency; t++) {
                loop(caller, deadline, samples, done, errors, inFlight, all);
            }
            try {
                all.get(seconds + 30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (errors.get() > 0) {
            System.err.println("errors: " + errors.get());
        }
        return (int) done.get();
    }

    private static void loop(Caller caller, long deadline, long[] samples, AtomicLong done, AtomicLong errors,
                             AtomicLong inFlight, CompletableFuture<Void> all) {
        if (System.nanoTime() >= deadline) {
            if (inFlight.decrementAndGet() == 0) {
                all.complete(null);
            }
            return;
        }
        long begin = System.nanoTime();
        caller.call().whenComplete((result, error) -> {
            if (error != null) {
                errors.incrementAndGet();
            } else {
                record(samples, done, System.nanoTime() - begin);
            }
            loop(caller, deadline, samples, done, errors, inFlight, all);
        });
    }

    private static void record(long[] samples, AtomicLong done, long nanos) {
        long i = done.getAndIncrement();
        if (i < samples.length) {
            samples[(int) i] = nanos;
        }
    }

    private static Caller caller(String client, String way, URI url, byte[] body, boolean stream) {
        switch (client) {
            case "jdk":
            case "jdk-direct": {
                java.net.http.HttpClient.Builder builder = java.net.http.HttpClient.newBuilder()
                        .version(java.net.http.HttpClient.Version.HTTP_1_1);
                if (client.equals("jdk-direct")) {
                    builder.executor(Runnable::run);
                }
                java.net.http.HttpClient jdk = builder.build();
                java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(url)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build();
                if (way.equals("worker")) { // as Freeway calls it: send() blocks the calling thread
                    return () -> {
                        try {
                            return CompletableFuture.completedFuture(jdk.send(request, events(stream)).body());
                        } catch (Exception e) {
                            return CompletableFuture.failedFuture(e);
                        }
                    };
                }
                return () -> jdk.sendAsync(request, events(stream)).thenApply(java.net.http.HttpResponse::body);
            }
            case "vertx":
            case "webclient": {
                Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
                HttpClientOptions options = new HttpClientOptions().setMaxPoolSize(1024).setKeepAlive(true)
                        .setTcpNoDelay(true);
                if (client.equals("vertx")) {
                    HttpClient http = vertx.createHttpClient(options);
                    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                            .setAbsoluteURI(url.toString()).putHeader("Content-Type", "application/json");
                    Buffer payload = Buffer.buffer(body);
                    return () -> http.request(request).compose(r -> r.send(payload)).compose(response -> {
                        Events events = new Events();
                        response.handler(buffer -> events.feed(buffer.getBytes()));
                        return response.end().map(v -> stream ? events.count : events.bytes);
                    }).toCompletionStage();
                }
                WebClient web = WebClient.create(vertx, new WebClientOptions(options));
                Buffer payload = Buffer.buffer(body);
                if (!stream) {
                    return () -> web.postAbs(url.toString()).putHeader("Content-Type", "application/json")
                            .sendBuffer(payload).map(response -> response.body().length()).toCompletionStage();
                }
                // WebClient streams through a WriteStream it is given: each buffer to the SSE splitter as it comes
                return () -> {
                    Events events = new Events();
                    return web.postAbs(url.toString()).putHeader("Content-Type", "application/json")
                            .as(io.vertx.ext.web.codec.BodyCodec.pipe(events.sink(vertx)))
                            .sendBuffer(payload).map(response -> events.count).toCompletionStage();
                };
            }
            case "rest": {
                Client rest = new ClientBuilderImpl().build();
                String json = new String(body, StandardCharsets.UTF_8);
                if (!stream) {
                    return () -> rest.target(url).request(MediaType.APPLICATION_JSON).rx()
                            .post(Entity.json(json), String.class).thenApply(String::length);
                }
                // A Multi of the raw body chunks as they arrive, each split into SSE events
                return () -> {
                    Events events = new Events();
                    CompletableFuture<Integer> done = new CompletableFuture<>();
                    rest.target(url).request(MediaType.WILDCARD)
                            .rx(org.jboss.resteasy.reactive.client.impl.MultiInvoker.class)
                            .post(Entity.json(json), byte[].class)
                            .subscribe().with(chunk -> events.feed((byte[]) chunk), done::completeExceptionally,
                                    () -> done.complete(events.count));
                    return done;
                };
            }
            default:
                throw new IllegalArgumentException("unknown client " + client);
        }
    }

    /** A body handler that splits the events out of each piece as it arrives, on the client's threads. */
    private static java.net.http.HttpResponse.BodyHandler<Integer> events(boolean stream) {
        return info -> {
            Events events = new Events();
            java.util.concurrent.Flow.Subscriber<List<java.nio.ByteBuffer>> subscriber = new java.util.concurrent.Flow.Subscriber<>() {
                public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                public void onNext(List<java.nio.ByteBuffer> item) {
                    for (java.nio.ByteBuffer b : item) {
                        byte[] chunk = new byte[b.remaining()];
                        b.get(chunk);
                        events.feed(chunk);
                    }
                }

                public void onError(Throwable t) {
                }

                public void onComplete() {
                }
            };
            return java.net.http.HttpResponse.BodySubscribers.fromSubscriber(subscriber,
                    s -> stream ? events.count : events.bytes);
        };
    }

    /** Splits SSE {@code data:} lines out of the bytes as they arrive, as a relay must. */
    static final class Events {
        final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(256);
        int count;
        int bytes;

        void feed(byte[] chunk) {
            bytes += chunk.length;
            for (byte b : chunk) {
                if (b == '\n') {
                    if (line.size() > 5 && line.toString(StandardCharsets.UTF_8).startsWith("data:")) {
                        count++;
                    }
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }

        io.vertx.core.streams.WriteStream<Buffer> sink(Vertx vertx) {
            return new io.vertx.core.streams.WriteStream<>() {
                public io.vertx.core.streams.WriteStream<Buffer> exceptionHandler(io.vertx.core.Handler<Throwable> h) {
                    return this;
                }

                public io.vertx.core.Future<Void> write(Buffer data) {
                    feed(data.getBytes());
                    return io.vertx.core.Future.succeededFuture();
                }

                public void write(Buffer data, io.vertx.core.Handler<io.vertx.core.AsyncResult<Void>> handler) {
                    feed(data.getBytes());
                    handler.handle(io.vertx.core.Future.succeededFuture());
                }

                public void end(io.vertx.core.Handler<io.vertx.core.AsyncResult<Void>> handler) {
                    handler.handle(io.vertx.core.Future.succeededFuture());
                }

                public io.vertx.core.streams.WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
                    return this;
                }

                public boolean writeQueueFull() {
                    return false;
                }

                public io.vertx.core.streams.WriteStream<Buffer> drainHandler(io.vertx.core.Handler<Void> h) {
                    return this;
                }
            };
        }
    }

    private static long cpuTicks() throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }
}
