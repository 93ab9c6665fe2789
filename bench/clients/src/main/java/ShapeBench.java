import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The shape of one Freeway request without Freeway: a reserve script in Redis, the upstream call, a settle script,
 * the answer — served in two ways, to measure what serving on the event loop would save over today's way on the same
 * machine (issue 11, item 2):
 * <ul>
 *   <li><b>worker</b> (Freeway today): the event loop hands the request to a worker thread, which waits for the
 *       reserve's reply (it arrives on the event loop), calls upstream with the JDK HttpClient (direct executor, as
 *       Freeway does) and waits, waits for the settle's reply, and writes the answer (which the event loop sends);</li>
 *   <li><b>loop</b>: the same three steps chained on the request's event loop, the upstream call through the Vert.x
 *       HTTP client on that loop: no thread hand-off at all.</li>
 * </ul>
 * Plain (non-streamed) answers only; the scripts are one INCR and one HINCRBY, so what differs is the threads, not
 * Freeway's routing or its real scripts (bench/quota has those). One shared Redis connection, as RedisScripts uses.
 *
 * <p>Usage: {@code ShapeBench WAY PORT UPSTREAM_BASE_URL REDIS_PORT}, WAY worker|loop. Serves POST on any path until
 * killed.
 */
public final class ShapeBench {

    private static final String RESERVE = "local n = redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], 60000)"
            + " return n";
    private static final String SETTLE = "redis.call('HINCRBY', KEYS[1], 'tokens', ARGV[1]) return 1";

    public static void main(String[] args) throws Exception {
        boolean loop = args[0].equals("loop");
        int port = Integer.parseInt(args[1]);
        URI upstream = URI.create(args[2] + "/v1/chat/completions");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        RedisConnection redis = Redis.createClient(vertx, new RedisOptions()
                        .setConnectionString("redis://127.0.0.1:" + args[3]))
                .connect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String reserve = load(redis, RESERVE);
        String settle = load(redis, SETTLE);
        Steps steps = new Steps(redis, reserve, settle);
        var server = vertx.createHttpServer();
        if (loop) {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(256).setKeepAlive(true));
            RequestOptions call = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(upstream.toString())
                    .putHeader("Content-Type", "application/json");
            server.requestHandler(http -> http.body()
                    .compose(body -> steps.reserve().compose(n -> client.request(call))
                            .compose(request -> request.send(body)).compose(ShapeBench::whole))
                    .compose(answer -> steps.settle().map(answer))
                    .onSuccess(answer -> answer(http, answer))
                    .onFailure(e -> http.response().setStatusCode(502).end()));
        } else {
            // Quarkus's worker pool is a pool of platform threads: a fixed pool of 64 stands in for it here.
            ExecutorService workers = Executors.newFixedThreadPool(64);
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).executor(Runnable::run).build();
            server.requestHandler(http -> http.body().onSuccess(body -> workers.execute(() -> {
                try {
                    await(steps.reserve());
                    HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(upstream)
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes())).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("upstream answered " + response.statusCode());
                    }
                    await(steps.settle());
                    answer(http, Buffer.buffer(response.body()));
                } catch (Exception e) {
                    http.response().setStatusCode(502).end();
                }
            })));
        }
        server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        System.out.println("READY " + args[0] + " on " + port);
    }

    private static Future<Buffer> whole(io.vertx.core.http.HttpClientResponse response) {
        return response.statusCode() == 200 ? response.body()
                : Future.failedFuture("upstream answered " + response.statusCode());
    }

    private static void answer(HttpServerRequest http, Buffer answer) {
        http.response().putHeader("Content-Type", "application/json").end(answer);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String load(RedisConnection redis, String script) throws Exception {
        return await(redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script))).toString();
    }

    /** The two round trips every Freeway request makes, on one hash-tagged account's keys. */
    private record Steps(RedisConnection redis, String reserveSha, String settleSha) {
        Future<Long> reserve() {
            return redis.send(Request.cmd(Command.EVALSHA).arg(reserveSha).arg(1).arg("shape:{acct:a}:requests"))
                    .map(r -> r.toLong());
        }

        Future<Long> settle() {
            return redis.send(Request.cmd(Command.EVALSHA).arg(settleSha).arg(1).arg("shape:{acct:a}:ledger").arg(42))
                    .map(r -> r.toLong());
        }
    }
}
