package dev.freeway.quota;

import io.smallrye.mutiny.TimeoutException;
import io.vertx.mutiny.redis.client.Command;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.IntFunction;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Freeway's one door to Redis (the quota engine's, and the response cache's and Responses store's through it): runs
 * the Lua scripts (EVALSHA, EVAL on NOSCRIPT), bounds every call by the
 * configured timeout ({@link RedisWait}), turns every failure into {@link QuotaUnavailableException}, and remembers
 * whether the last call failed so status can say "degraded". Each call is asynchronous underneath; the blocking
 * forms are for callers on worker threads.
 *
 * <p>All calls share one connection, which pipelines them. Sending each call through the client's pool would, on a
 * cluster, check out one pooled connection per master for every call; with more concurrent calls than the pool
 * holds, calls end up each holding some masters' connections while waiting for the others' and stall until they
 * time out (seen under 200 concurrent reservations). A broken or stalled connection is dropped, its sockets closed
 * rather than handed back to the client's pool ({@link RedisSockets}), and the next call connects again.
 *
 * <p>A call that timed out may still run in Redis later. For a reservation that can only count a call that was not
 * made, never admit one that was not counted.
 */
@ApplicationScoped
public class RedisScripts {

    private static final Logger LOG = Logger.getLogger(RedisScripts.class);

    private final Redis redis;
    private final Duration timeout;
    private final AtomicBoolean degraded = new AtomicBoolean();
    private final AtomicReference<Shared> connection = new AtomicReference<>();
    private final RedisWait wait;

    @Inject
    public RedisScripts(Redis redis, QuotaConfig config) {
        this(redis, config.redisTimeout());
    }

    public RedisScripts(Redis redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
        this.wait = new RedisWait(timeout, () -> lastAnswer);
    }

    /** Whether the last Redis call failed. */
    public boolean degraded() {
        return degraded.get();
    }

    /** Longest wait for one call at all: while Redis keeps answering others, a call is waited for this long. */
    Duration longestWait() {
        return timeout.multipliedBy(RedisWait.PATIENCE);
    }

    /**
     * Opens the connection and loads every script, so that the first requests after start-up wait for neither (a
     * cold burst would otherwise queue behind the connect and send each script's source once per node).
     *
     * @throws QuotaUnavailableException when Redis does not answer within the timeout
     */
    void warmUp() {
        for (LuaScript script : LuaScript.ALL) {
            send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source));
        }
    }

    /** One PING within the timeout: whether Redis answers now. */
    boolean answers() {
        try {
            send(Request.cmd(Command.PING));
            return true;
        } catch (QuotaUnavailableException e) {
            return false;
        }
    }

    /** Runs a script on its keys, all of one hash slot, so on a cluster it goes to the one node owning it. */
    public Response eval(LuaScript script, List<String> keys, List<String> args) {
        return join(evalAsync(script, keys, args), script.name);
    }

    /**
     * {@link #eval} without blocking: its answer, or the {@link QuotaUnavailableException} it would throw, once
     * Redis answers or the call is given up on.
     */
    public CompletableFuture<Response> evalAsync(LuaScript script, List<String> keys, List<String> args) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return settled(answer(request(Command.EVALSHA, script.sha1, keys, args), deadline)
                // This node has not seen the script yet (new node, restart, SCRIPT FLUSH): EVAL caches it there,
                // within what is left of the same timeout.
                .exceptionallyCompose(e -> isNoScript(e) ? answer(request(Command.EVAL, script.source, keys, args),
                        deadline) : CompletableFuture.failedFuture(e)), script.name);
    }

    /** One script on its keys (all of one hash slot), for {@link #evalEach}. */
    public record Call(LuaScript script, List<String> keys, List<String> args) {
    }

    /**
     * Runs several scripts, each on the keys of its own slot (on a cluster, perhaps each on another node), sending
     * them all before waiting for any: the wait of one round trip for all of them, within one timeout. The answers
     * in the order of the calls; any failure fails them all.
     */
    public List<Response> evalEach(List<Call> calls) {
        String what = calls.isEmpty() ? "scripts" : calls.get(0).script().name;
        return join(each(calls.stream().map(c -> request(Command.EVALSHA, c.script().sha1, c.keys(), c.args()))
                .toList(), i -> request(Command.EVAL, calls.get(i).script().source, calls.get(i).keys(),
                calls.get(i).args()), what), what);
    }

    /** Several plain commands, sent as {@link #evalEach} sends scripts. */
    public List<Response> sendEach(List<Request> requests) {
        return join(each(requests, null, "commands"), "commands");
    }

    /**
     * Sends every request at once. One a node answered NOSCRIPT (a restart, a new node) is sent again as
     * {@code again} makes it, within the same timeout.
     */
    private CompletableFuture<List<Response>> each(List<Request> requests, IntFunction<Request> again, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<CompletableFuture<Response>> answers = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            int call = i;
            CompletableFuture<Response> answer = answer(requests.get(i), deadline);
            answers.add(again == null ? answer : answer.exceptionallyCompose(e -> isNoScript(e)
                    ? answer(again.apply(call), deadline) : CompletableFuture.failedFuture(e)));
        }
        CompletableFuture<List<Response>> all = new CompletableFuture<>();
        answers.forEach(answer -> answer.whenComplete((r, e) -> {
            if (e != null) {
                all.completeExceptionally(e); // the first failure fails them all, without waiting for the rest
            }
        }));
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenRun(() -> all.complete(answers.stream().map(CompletableFuture::join).toList()));
        return settled(all, what);
    }

    /** Sends one plain command. */
    public Response send(Request request) {
        return join(settled(answer(request, System.nanoTime() + timeout.toNanos()), "command"), "command");
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    /**
     * Sends the request and waits for its answer as {@link RedisWait} says, without blocking. A failure other than
     * an error Redis answered drops the connection.
     */
    private CompletableFuture<Response> answer(Request request, long deadline) {
        Shared shared = connection();
        try {
            return wait.until(shared.send(request, this::answered), System.nanoTime(), deadline)
                    .whenComplete((r, e) -> {
                        if (e != null && !isRedisReply(e)) {
                            drop(shared);
                        }
                    });
        } catch (RuntimeException e) {
            drop(shared);
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The call's answer, Redis marked as answering; or its failure, as the one exception a caller sees. */
    private <T> CompletableFuture<T> settled(CompletableFuture<T> call, String what) {
        CompletableFuture<T> settled = new CompletableFuture<>();
        call.whenComplete((answer, failure) -> {
            if (failure == null) {
                recovered();
                settled.complete(answer);
            } else {
                settled.completeExceptionally(unavailable(what, unwrapped(failure)));
            }
        });
        return settled;
    }

    /** Blocks for a call's outcome: for callers on worker threads. */
    private <T> T join(CompletableFuture<T> call, String what) {
        try {
            return call.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the request is being abandoned: the call finishes on its own
            throw unavailable(what, new TimeoutException());
        }
    }

    /** The exception a stage failed with, without the wrapping a dependent stage adds. */
    static RuntimeException unwrapped(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    }

    /** When the connection last delivered an answer (System.nanoTime()). */
    private volatile long lastAnswer = System.nanoTime() - Duration.ofDays(1).toNanos();

    private void answered() {
        lastAnswer = System.nanoTime();
    }

    private Shared connection() {
        while (true) {
            Shared current = connection.get();
            if (current != null) {
                return current;
            }
            Shared fresh = new Shared();
            fresh.connection = redis.connect()
                    .invoke(c -> c.exceptionHandler(e -> drop(fresh)).endHandler(() -> drop(fresh)))
                    .onFailure().invoke(e -> drop(fresh))
                    .memoize().indefinitely();
            if (connection.compareAndSet(null, fresh)) {
                return fresh;
            }
        }
    }

    /**
     * Forgets a connection that failed, so the next call connects again, and closes its sockets if it ever opened.
     * Not at once: calls still waiting on it keep their own deadlines (a Redis that stalled may answer them yet), so
     * it is closed once the longest of them is over. Until then it stays out of the client's pool.
     */
    private void drop(Shared shared) {
        drop(shared, longestWait());
    }

    private void drop(Shared shared, Duration after) {
        if (connection.compareAndSet(shared, null)) {
            // counted from now: a connect that only completes later (Redis paused mid-handshake) is closed at once
            long closeAt = System.nanoTime() + after.toNanos();
            shared.connection.subscribe().with(c -> {
                long left = closeAt - System.nanoTime();
                java.util.concurrent.Executor closer = left <= 0 ? Runnable::run
                        : java.util.concurrent.CompletableFuture.delayedExecutor(left,
                        java.util.concurrent.TimeUnit.NANOSECONDS);
                closer.execute(() -> RedisSockets.close(c.getDelegate()));
            }, e -> { });
        }
    }

    /**
     * Closes the connection now, so that the next call opens a new one: before a snapshot of this process (Lambda
     * SnapStart), whose restored copies would otherwise each find a socket that no longer leads anywhere.
     */
    void disconnect() {
        Shared current = connection.get();
        if (current != null) {
            drop(current, Duration.ZERO);
        }
    }

    /**
     * An error Redis answered (a script error, NOSCRIPT): the connection itself is fine. The Vert.x client gives no
     * public type for error replies; its ErrorType is the one it fails the call with.
     */
    private static boolean isRedisReply(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.redis.client.impl.types.ErrorType) {
                return true;
            }
        }
        return false;
    }

    /** One connection attempt, remembered: every call shares its outcome until it is dropped. */
    private static final class Shared {
        Uni<RedisConnection> connection;
        /** The connection once open: calls go to it directly. */
        volatile io.vertx.redis.client.RedisConnection open;

        /**
         * Sends on the open connection through the Vert.x client itself. Its Mutiny wrappers capture and restore
         * the request's context at every step, 3.5 % of a request's CPU at 64 connections, for calls that need no
         * context; they still open the connection, once.
         */
        CompletableFuture<Response> send(Request request, Runnable answered) {
            io.vertx.redis.client.RedisConnection ready = open;
            if (ready == null) {
                return connection.invoke(c -> open = c.getDelegate()).chain(c -> c.send(request))
                        .invoke(answered).subscribeAsCompletionStage();
            }
            return ready.send(request.getDelegate()).map(r -> {
                answered.run();
                return r == null ? null : Response.newInstance(r);
            }).toCompletionStage().toCompletableFuture();
        }
    }

    private static boolean isNoScript(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT")) {
                return true;
            }
        }
        return false;
    }

    private QuotaUnavailableException unavailable(String what, RuntimeException e) {
        if (isRedisReply(e)) { // Redis is there: not degraded
            return new QuotaUnavailableException("quota store refused: Redis " + what + " answered " + describe(e),
                    e, true);
        }
        String cause = e instanceof TimeoutException ? "no answer within " + timeout.toMillis() + " ms, or within "
                + longestWait().toMillis() + " ms while it answered others" : describe(e);
        String message = "quota store unavailable: Redis " + what + " failed (" + cause + ")";
        if (degraded.compareAndSet(false, true)) {
            LOG.errorf("Quota engine degraded: %s", message);
        }
        return new QuotaUnavailableException(message, e);
    }

    private void recovered() {
        if (degraded.compareAndSet(true, false)) {
            LOG.info("Quota engine recovered: Redis answers again");
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return text.length() > 200 ? text.substring(0, 200) : text;
    }
}
