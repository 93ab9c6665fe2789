package dev.freeway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A provider double at the level of TCP, for the faults an HTTP stub cannot stage exactly: response headers and then
 * silence, a stream cut without {@code [DONE]}, a connection reset mid-stream, a body one byte at a time. Each
 * request is answered by the current {@link Behaviour}; the double records how many requests came and how many of
 * its connections the gateway closed first (an upstream request it cancelled).
 */
public final class RawUpstream implements AutoCloseable {

    /** What the double does with one request. */
    @FunctionalInterface
    public interface Behaviour {
        void answer(Socket socket, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final AtomicReference<Behaviour> behaviour = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger closedByGateway = new AtomicInteger();
    private final ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
    private volatile CountDownLatch gatewayClosed = new CountDownLatch(1);

    public RawUpstream() {
        try {
            server = new ServerSocket(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "raw-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
    }

    /** Answers every request from now on this way; counters start again. */
    public void behave(Behaviour next) {
        behaviour.set(next);
        requests.set(0);
        closedByGateway.set(0);
        gatewayClosed = new CountDownLatch(1);
        Socket socket;
        while ((socket = open.poll()) != null) {
            quietly(socket);
        }
    }

    public int requests() {
        return requests.get();
    }

    /** Whether the gateway closed a connection of this double (cancelled its request) within the wait. */
    public boolean gatewayClosedWithin(long millis) throws InterruptedException {
        return gatewayClosed.await(millis, TimeUnit.MILLISECONDS);
    }

    public int closedByGateway() {
        return closedByGateway.get();
    }

    /** Headers of a 200 server-sent event stream. */
    public static void sseHeaders(OutputStream out) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                + "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One HTTP chunk holding {@code text}. */
    public static void chunk(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The last chunk: the body ends cleanly here (whatever it said). */
    public static void endBody(OutputStream out) throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Resets the connection (TCP RST), as a crashed or killed upstream does. */
    public static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Holds the connection open and silent until the gateway closes it, or for at most {@code millis}. */
    public void silence(Socket socket, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end && !socket.isClosed()) {
            try {
                socket.setSoTimeout(100);
                if (socket.getInputStream().read() < 0) {
                    gatewayClosed(socket);
                    return;
                }
            } catch (java.net.SocketTimeoutException stillOpen) {
                // keep waiting
            } catch (IOException closed) {
                gatewayClosed(socket);
                return;
            }
        }
    }

    /** A complete JSON answer that leaves the connection open for another request (as HTTP/1.1 does unless told). */
    public static void jsonKeepingTheConnection(OutputStream out, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** A complete JSON answer. */
    public static void json(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** Events of a stream as SSE text. */
    public static String events(List<String> payloads) {
        StringBuilder text = new StringBuilder();
        payloads.forEach(p -> text.append("data: ").append(p).append("\n\n"));
        return text.toString();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread handler = new Thread(() -> handle(socket), "raw-upstream-request");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try {
            readRequest(socket.getInputStream());
            requests.incrementAndGet();
            Behaviour current = behaviour.get();
            if (current != null) {
                current.answer(socket, socket.getOutputStream());
            }
            quietly(socket); // one request a connection: the gateway never reuses one of this double's
        } catch (IOException | InterruptedException e) {
            gatewayClosed(socket);
        }
    }

    private void gatewayClosed(Socket socket) {
        closedByGateway.incrementAndGet();
        gatewayClosed.countDown();
        quietly(socket);
    }

    /** Reads the request line, headers and a Content-Length body. */
    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String text = head.toString(StandardCharsets.US_ASCII);
            if (text.endsWith("\r\n\r\n")) {
                int length = 0;
                for (String line : text.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                in.readNBytes(length);
                return;
            }
        }
        throw new IOException("closed before the request was read");
    }

    private static void quietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        open.forEach(RawUpstream::quietly);
    }
}
