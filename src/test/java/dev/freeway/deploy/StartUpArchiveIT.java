package dev.freeway.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image's start-up archive step, run as the Dockerfile runs it: {@code deployment/start-up-archive.sh} on the
 * packaged application with the ENTRYPOINT's JVM flags, then Freeway started with the archive it wrote. A script
 * that no longer serves its training requests, or an archive the JVM finds invalid (made with other flags or another
 * jar path), fails here instead of making an image that starts silently slower. The archive must be used: classes
 * must come from it, which the JVM's class-load log says per class.
 */
class StartUpArchiveIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void the_archive_the_script_writes_is_the_one_freeway_then_starts_from(@TempDir Path work) throws Exception {
        Path app = work.resolve("deployments");
        copy(Path.of(System.getProperty("freeway.jar", "target/quarkus-app/quarkus-run.jar")).getParent(), app);
        List<String> flags = JvmSettingsTest.dockerfileFlags();
        boolean aot = Runtime.version().feature() >= 25;
        Path archive = app.resolve(aot ? "app.aot" : "app.jsa");

        ProcessBuilder training = new ProcessBuilder("bash", Path.of("deployment/start-up-archive.sh")
                .toAbsolutePath().toString(), app.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("training.out").toFile());
        training.environment().put("JAVA_TOOL_OPTIONS", String.join(" ", flags));
        training.environment().put("JAVA", java());
        training.environment().put("TRAINING_PORT", String.valueOf(freePort()));
        training.environment().remove("FREEWAY_CONFIG"); // the training run serves the built-in demo
        assertEquals(0, run(training), "the script failed: " + read(work.resolve("training.out"))
                + read(app.resolve("start-up-training.log")));
        assertTrue(Files.size(archive) > 1_000_000, archive + " written");

        int port = freePort();
        Path classes = work.resolve("class-load.log");
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(flags);
        command.addAll(List.of((aot ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive,
                "-Xlog:class+load=info:file=" + classes, "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port, "-jar", app.resolve("quarkus-run.jar").toString()));
        ProcessBuilder start = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("freeway.out").toFile());
        start.environment().remove("FREEWAY_CONFIG");
        start.environment().remove("JAVA_TOOL_OPTIONS");
        Process freeway = start.start();
        try {
            assertEquals(200, firstAnswer(port, freeway), read(work.resolve("freeway.out")));
        } finally {
            freeway.destroy();
            freeway.waitFor(20, TimeUnit.SECONDS);
            freeway.destroyForcibly();
        }
        long fromArchive;
        try (Stream<String> lines = Files.lines(classes)) {
            // measured: without the archive 0 classes from a top layer on JDK 17 (1,404 from the JDK's own archive on
            // 25); with it 5,119 on 17 and 6,870 on 25
            String source = aot ? "source: shared objects file" : "shared objects file (top)";
            fromArchive = lines.filter(l -> l.contains(source)).count();
        }
        assertTrue(fromArchive > (aot ? 5_000 : 2_000), fromArchive + " classes from the archive: "
                + read(work.resolve("freeway.out")));
    }

    /** Polls with a demo completion until one is served; the status of the first answer that is not a refusal. */
    private static int firstAnswer(int port, Process freeway) throws Exception {
        HttpRequest ask = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"demo-fast\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")).build();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && freeway.isAlive()) {
            try {
                return HTTP.send(ask, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        return -1;
    }

    private static int run(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!file.getFileName().toString().matches("app\\.(jsa|aot)")) {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
