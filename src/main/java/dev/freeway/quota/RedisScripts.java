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
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Freeway's one door to Redis (the quota engine's, and the response cache's and Responses store's through it): runs
 * the Lua scripts (EVALSHA, EVAL on NOSCRIPT), bounds every call by the
 * configured timeout, turns every failure into {@link QuotaUnavailableException}, and remembers whether the last
 * call failed so status can say "degraded". Callers run on worker threads, so calls block.
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

    @Inject
    public RedisScripts(Redis redis, QuotaConfig config) {
        this(redis, config.redisTimeout());
    }

    public RedisScripts(Redis redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
    }

    /** Whether the last Redis call failed. */
    public boolean degraded() {
        return degraded.get();
    }

    /** Longest wait for one call at all: while Redis keeps answering others, a call is waited for this long. */
    Duration longestWait() {
        return timeout.multipliedBy(PATIENCE);
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
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Response response;
            try {
                response = await(request(Command.EVALSHA, script.sha1, keys, args), deadline);
            } catch (RuntimeException e) {
                if (!isNoScript(e)) {
                    throw e;
                }
                // This node has not seen the script yet (new node, restart, SCRIPT FLUSH): EVAL caches it there,
                // within what is left of the same timeout.
                response = await(request(Command.EVAL, script.source, keys, args), deadline);
            }
            recovered();
            return response;
        } catch (RuntimeException e) {
            throw unavailable(script.name, e);
        }
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
        return each(calls.stream().map(c -> request(Command.EVALSHA, c.script().sha1, c.keys(), c.args())).toList(),
                i -> request(Command.EVAL, calls.get(i).script().source, calls.get(i).keys(), calls.get(i).args()),
                calls.isEmpty() ? "scripts" : calls.get(0).script().name);
    }

    /** Several plain commands, sent as {@link #evalEach} sends scripts. */
    public List<Response> sendEach(List<Request> requests) {
        return each(requests, null, "commands");
    }

    /**
     * Sends every request, then waits for each. The requests a node answered NOSCRIPT (a restart, a new node: it
     * answers all of them so) are sent again as {@code again} makes them, all of them before waiting again.
     */
    private List<Response> each(List<Request> requests, java.util.function.IntFunction<Request> again, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            List<Sent> sent = new java.util.ArrayList<>(requests.size());
            for (Request request : requests) {
                sent.add(sent(request));
            }
            Response[] answers = new Response[requests.size()];
            List<Integer> unknown = new java.util.ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                try {
                    answers[i] = waitFor(sent.get(i), deadline);
                } catch (RuntimeException e) {
                    if (again == null || !isNoScript(e)) {
                        throw e;
                    }
                    unknown.add(i);
                }
            }
            List<Sent> resent = unknown.stream().map(i -> sent(again.apply(i))).toList();
            for (int j = 0; j < resent.size(); j++) {
                answers[unknown.get(j)] = waitFor(resent.get(j), deadline);
            }
            recovered();
            return java.util.Arrays.asList(answers);
        } catch (RuntimeException e) {
            throw unavailable(what, e);
        }
    }

    /** Sends one plain command. */
    public Response send(Request request) {
        try {
            Response response = await(request, System.nanoTime() + timeout.toNanos());
            recovered();
            return response;
        } catch (RuntimeException e) {
            throw unavailable("command", e);
        }
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    /**
     * Waits for the answer until {@code deadline}; past it, waits on (up to {@link #PATIENCE} timeouts in all) only
     * while Redis keeps answering other calls on the connection meanwhile, or while this process itself stalled
     * (starved of CPU, paused by the collector): then the wait is this process's own, not Redis's. A Redis that
     * answers nothing for the whole timeout while this process runs is given up on at once.
     */
    private Response await(Request request, long deadline) {
        return waitFor(sent(request), deadline);
    }

    /** A call on its way: the connection it went on, when, and its answer to come. */
    private record Sent(Shared shared, long started, java.util.concurrent.CompletableFuture<Response> answer) {
    }

    private Sent sent(Request request) {
        Shared shared = connection();
        return new Sent(shared, System.nanoTime(), shared.send(request, this::answered));
    }

    /** {@link #await}'s wait, for a call already sent. */
    private Response waitFor(Sent sent, long deadline) {
        Shared shared = sent.shared();
        long started = sent.started();
        long last = deadline + (PATIENCE - 1) * timeout.toNanos();
        java.util.concurrent.CompletableFuture<Response> answer = sent.answer();
        try {
            long until = deadline;
            while (true) {
                try {
                    return answer.get(Math.max(1, until - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException late) {
                    long now = System.nanoTime();
                    long recently = Math.max(started, now - timeout.toNanos());
                    boolean answering = lastAnswer - recently > 0 || PauseDetector.INSTANCE.stalledSince(recently);
                    if (!answering || now - last >= 0) {
                        answer.cancel(false);
                        throw new TimeoutException();
                    }
                    until = Math.min(last, now + timeout.toNanos() / 4);
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            if (!isRedisReply(cause)) {
                drop(shared);
            }
            throw cause;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException();
        } catch (RuntimeException e) {
            if (!isRedisReply(e)) {
                drop(shared);
            }
            throw e;
        }
    }

    /** The longest a call is waited for while Redis keeps answering others, in timeouts. */
    static final int PATIENCE = 3;

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
        java.util.concurrent.CompletableFuture<Response> send(Request request, Runnable answered) {
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
