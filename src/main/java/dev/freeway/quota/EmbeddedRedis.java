package dev.freeway.quota;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server child process on a loopback port: {@code redis-server} from PATH, else the binary shipped in
 * {@code com.github.codemonstur:embedded-redis}. Nothing is persisted; the data lives as long as the process.
 * Used for the local default when no Redis is configured, and by the tests.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private static final long READY_TIMEOUT_MS = 10_000;
    private static final String WATCHDOG_SHELL = "/bin/sh";
    /**
     * Runs redis-server under a shell that kills it when this JVM's end of the shell's stdin closes, which happens
     * however the JVM ends, kill -9 included; a shutdown hook alone would leave an orphaned server behind then.
     * The shell exits when redis-server does, so a server that fails to start is seen at once. (Background jobs of
     * a script read /dev/null, hence stdin is kept on descriptor 3 for the watcher.)
     */
    private static final String WATCHDOG =
            "exec 3<&0; \"$@\" & pid=$!; (read -r _ <&3; kill \"$pid\" 2>/dev/null) & wait \"$pid\"";

    private final Process process;
    private final int port;
    private final String binary;
    private final boolean watched;
    /** Holds the server's log (and a cluster node's state file); removed when the server stops. */
    private final Path directory;

    private EmbeddedRedis(Process process, int port, String binary, boolean watched, Path directory) {
        this.process = process;
        this.port = port;
        this.binary = binary;
        this.watched = watched;
        this.directory = directory;
    }

    /** Starts redis-server on {@code port} with extra arguments (e.g. {@code --cluster-enabled yes}) and waits until it answers. */
    public static EmbeddedRedis start(int port, List<String> extraArgs) throws IOException {
        String binary = locateBinary();
        Path directory = Files.createTempDirectory("freeway-redis-" + port + "-");
        List<String> command = new ArrayList<>();
        boolean watched = new File(WATCHDOG_SHELL).canExecute();
        if (watched) {
            command.addAll(List.of(WATCHDOG_SHELL, "-c", WATCHDOG, "redis-watchdog"));
        }
        command.addAll(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", directory.toString()));
        command.addAll(extraArgs);
        File log = directory.resolve("redis.log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        EmbeddedRedis redis = new EmbeddedRedis(process, port, binary, watched, directory);
        redis.awaitReady(log);
        return redis;
    }

    /**
     * Starts redis-server on a free port, trying another port when one was taken between choosing and binding it.
     *
     * @param clusterBus whether the port + 10000 (a cluster node's bus) must be free too
     */
    public static EmbeddedRedis startOnFreePort(List<String> extraArgs, boolean clusterBus) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return start(freePort(clusterBus), extraArgs);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    public int port() {
        return port;
    }

    /** The redis-server executable that runs. */
    public String binary() {
        return binary;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * Stops the server and waits until it is gone, so the port can be used again. Under the watchdog, closing its
     * stdin makes it SIGTERM redis-server and exit once the server has (redis-server exits cleanly, saving nothing);
     * the JDK only reaps its own children promptly, so the watchdog, not this JVM, waits for the server.
     */
    public void stop() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed: the watchdog has been told
        }
        if (!watched) {
            process.destroy();
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        removeDirectory();
    }

    private void removeDirectory() {
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory harms nothing
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** A port nothing listens on right now (and, for cluster nodes, whose bus port +10000 is free too). */
    public static int freePort(boolean withClusterBus) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (!withClusterBus || (port + 10_000 <= 65_535 && free(port + 10_000))) {
                    return port;
                }
            }
        }
        throw new IOException("no free port found");
    }

    private static boolean free(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** redis-server from PATH, else the embedded-redis jar's binary for this platform, extracted once. */
    static String locateBinary() throws IOException {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                File candidate = new File(dir, "redis-server");
                if (candidate.isFile() && candidate.canExecute()) {
                    return candidate.getAbsolutePath();
                }
            }
        }
        return extractBundled();
    }

    private static String extractBundled() throws IOException {
        String resource = bundledName();
        try (InputStream in = EmbeddedRedis.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no redis-server on PATH and no bundled " + resource
                        + " (com.github.codemonstur:embedded-redis missing?)");
            }
            Path target = Files.createTempFile("freeway-redis-server-", "");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            File file = target.toFile();
            if (!file.setExecutable(true, true)) {
                throw new IOException("cannot make " + target + " executable");
            }
            file.deleteOnExit();
            return file.getAbsolutePath();
        }
    }

    /** The binary names inside embedded-redis 1.4.x. */
    private static String bundledName() throws IOException {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm = arch.contains("aarch64") || arch.contains("arm");
        if (os.contains("linux")) {
            return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("mac")) {
            return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        }
        throw new IOException("no bundled redis-server for " + os + "/" + arch + "; install redis-server");
    }

    private void awaitReady(File log) throws IOException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                String tail = tail(log);
                removeDirectory();
                throw new IOException("redis-server exited with " + process.exitValue() + ": " + tail);
            }
            if (answersPing()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for redis-server", e);
            }
        }
        String tail = tail(log);
        stop();
        throw new IOException("redis-server did not answer on port " + port + " within " + READY_TIMEOUT_MS + " ms: " + tail);
    }

    private boolean answersPing() {
        return answersPing(port);
    }

    /** Whether a Redis on this loopback port answers PING. */
    public static boolean answersPing(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(File log) {
        try {
            String text = Files.readString(log.toPath());
            return text.length() > 1000 ? text.substring(text.length() - 1000) : text;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public String toString() {
        return binary + " on 127.0.0.1:" + port;
    }
}
