package dev.freeway.support;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;

import java.util.List;

/** A Redis a test runs against: one server or a cluster, and how to reach it. */
public interface RedisBackend extends AutoCloseable {

    boolean cluster();

    List<String> uris();

    /** The port of every master, for raw per-node commands. */
    List<Integer> ports();

    @Override
    void close();

    /** Freezes every server process (SIGSTOP): they accept connections but answer nothing until {@link #resume()}. */
    default void pause() {
        ports().forEach(port -> signal(port, "-STOP"));
    }

    /** Lets frozen servers run again (SIGCONT): they then work through every command that queued meanwhile. */
    default void resume() {
        ports().forEach(port -> signal(port, "-CONT"));
    }

    /** Sends a signal to the redis-server listening on {@code port}, found by its own INFO (asked while it runs). */
    private static void signal(int port, String which) {
        long pid = Pids.of(port);
        try {
            int exit = new ProcessBuilder("kill", which, Long.toString(pid)).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill " + which + " " + pid + " exited " + exit);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Process ids by port, read once (a frozen server cannot be asked). */
    final class Pids {
        private static final java.util.Map<Integer, Long> KNOWN = new java.util.concurrent.ConcurrentHashMap<>();

        private Pids() {
        }

        static long of(int port) {
            return KNOWN.computeIfAbsent(port, p -> {
                String info = String.valueOf(Resp.command(p, "INFO", "server"));
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("process_id:(\\d+)").matcher(info);
                if (!m.find()) {
                    throw new IllegalStateException("no process_id in INFO: " + info);
                }
                return Long.parseLong(m.group(1));
            });
        }

        /** Forgets a port's process, after it was restarted. */
        static void forget(int port) {
            KNOWN.remove(port);
        }
    }

    /** A client like the one Quarkus builds from quarkus.redis.* and application.properties. */
    default Redis client(Vertx vertx) {
        return client(vertx, cluster(), uris());
    }

    static Redis client(Vertx vertx, boolean cluster, List<String> uris) {
        RedisOptions options = new RedisOptions()
                .setType(cluster ? RedisClientType.CLUSTER : RedisClientType.STANDALONE)
                .setUseReplicas(RedisReplicas.NEVER);
        options.getNetClientOptions().setConnectTimeout(2000);
        uris.forEach(options::addConnectionString);
        return Redis.createClient(vertx, options);
    }
}
