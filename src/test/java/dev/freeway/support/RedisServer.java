package dev.freeway.support;

import dev.freeway.quota.EmbeddedRedis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** A real redis-server for tests, on a free port, that can be stopped and started again on the same port. */
public final class RedisServer implements RedisBackend {

    private final int port;
    private EmbeddedRedis server;

    private RedisServer(int port) {
        this.port = port;
    }

    public static RedisServer start() {
        try {
            EmbeddedRedis server = EmbeddedRedis.startOnFreePort(List.of(), false);
            Pids.forget(server.port()); // a server an earlier test ran on this port had another process id
            RedisServer redis = new RedisServer(server.port());
            redis.server = server;
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on its port (after {@link #stopServer()}); its data is gone. */
    public void startAgain() {
        Pids.forget(port);
        try {
            server = EmbeddedRedis.start(port, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server, keeping the port for {@link #startAgain()}. */
    public void stopServer() {
        server.stop();
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public boolean cluster() {
        return false;
    }

    @Override
    public List<String> uris() {
        return List.of(uri());
    }

    @Override
    public List<Integer> ports() {
        return List.of(port);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }
}
