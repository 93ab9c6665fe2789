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
            RedisServer redis = new RedisServer(server.port());
            redis.server = server;
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on its port (after {@link #stopServer()}); its data is gone. */
    public void startAgain() {
        pid = -1;
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

    /** Freezes the server process (SIGSTOP): it accepts connections but answers nothing until {@link #resume()}. */
    public void pause() {
        signal("-STOP");
    }

    /** Lets a paused server run again (SIGCONT): it then works through every command that queued meanwhile. */
    public void resume() {
        signal("-CONT");
    }

    private long pid = -1;

    private void signal(String which) {
        if (pid < 0) {
            String info = String.valueOf(Resp.command(port, "INFO", "server"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("process_id:(\\d+)").matcher(info);
            if (!m.find()) {
                throw new IllegalStateException("no process_id in INFO: " + info);
            }
            pid = Long.parseLong(m.group(1));
        }
        try {
            int exit = new ProcessBuilder("kill", which, Long.toString(pid)).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill " + which + " " + pid + " exited " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
