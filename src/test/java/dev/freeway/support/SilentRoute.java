package dev.freeway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP route to a server on loopback whose open connections can go silent while new ones still get through: what
 * a client sees of a socket carried across a process snapshot, or of a node whose route died without a reset. A
 * silenced connection stays open and takes every byte, and nothing crosses it either way.
 */
public final class SilentRoute implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final List<Pipe> pipes = new CopyOnWriteArrayList<>();

    private SilentRoute(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::accept, "silent-route-" + target);
        accepting.setDaemon(true);
        accepting.start();
    }

    /** A route to 127.0.0.1:{@code target}. */
    public static SilentRoute to(int target) {
        try {
            return new SilentRoute(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String uri() {
        return "redis://127.0.0.1:" + listener.getLocalPort();
    }

    /** Every connection open now goes silent for good; connections opened later get through. */
    public void silenceOpenConnections() {
        pipes.forEach(pipe -> pipe.silent = true);
    }

    /** Connections opened through this route so far. */
    public int connectionsOpened() {
        return pipes.size();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                Pipe pipe = new Pipe(client, server);
                pipes.add(pipe);
                pump(pipe, client, server);
                pump(pipe, server, client);
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection end
            }
        }
    }

    private static void pump(Pipe pipe, Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (!pipe.silent) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side went away
            }
            if (!pipe.silent) {
                pipe.close();
            }
        }, "silent-route-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        pipes.forEach(Pipe::close);
    }

    private static final class Pipe {
        final Socket client;
        final Socket server;
        volatile boolean silent;

        Pipe(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void close() {
            try {
                client.close();
                server.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
