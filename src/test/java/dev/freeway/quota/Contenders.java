package dev.freeway.quota;

import dev.freeway.support.RedisBackend;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Starts {@link Contender} JVMs (separate processes, not threads) against one Redis and collects their results. */
final class Contenders implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();
    private final List<BufferedReader> outputs = new ArrayList<>();
    private final List<Path> errors = new ArrayList<>();

    /** Starts {@code count} contenders and waits until each has connected and said "ready". */
    static Contenders start(int count, String mode, RedisBackend redis, String account, int calls, Instant clock,
                            long leaseSeconds) throws IOException {
        Contenders contenders = new Contenders();
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        for (int i = 0; i < count; i++) {
            Path err = Files.createTempFile("contender-", ".log");
            Process process = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                    "-cp", System.getProperty("java.class.path"), Contender.class.getName(),
                    mode, Boolean.toString(redis.cluster()), String.join(",", redis.uris()), account,
                    Integer.toString(calls), Integer.toString(i + 1), clock.toString(), Long.toString(leaseSeconds))
                    .redirectError(err.toFile())
                    .start();
            contenders.processes.add(process);
            contenders.errors.add(err);
            contenders.outputs.add(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < count; i++) {
            contenders.expect(i, "ready");
        }
        return contenders;
    }

    /** Releases all contenders at once and returns each one's result fields. */
    List<Map<String, Long>> race() throws IOException {
        for (Process process : processes) {
            OutputStream in = process.getOutputStream();
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
        List<Map<String, Long>> results = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            results.add(parse(expect(i, "result ")));
        }
        return results;
    }

    Process process(int index) {
        return processes.get(index);
    }

    /** Reads the next line of contender {@code index}, failing with its error log when it is not the expected one. */
    private String expect(int index, String prefix) throws IOException {
        BufferedReader output = outputs.get(index);
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return output.readLine();
            } catch (IOException e) {
                return null;
            }
        }).completeOnTimeout(null, 60, TimeUnit.SECONDS).join();
        if (line == null || !line.startsWith(prefix)) {
            throw new IllegalStateException("contender " + index + " said '" + line + "' instead of '" + prefix
                    + "'; its log:\n" + Files.readString(errors.get(index)));
        }
        return line;
    }

    private static Map<String, Long> parse(String line) {
        Map<String, Long> fields = new HashMap<>();
        for (String pair : line.substring("result ".length()).split(" ")) {
            String[] kv = pair.split("=");
            fields.put(kv[0], kv[1].equals("true") ? 1 : kv[1].equals("false") ? 0 : Long.parseLong(kv[1]));
        }
        return fields;
    }

    static long sum(List<Map<String, Long>> results, String field) {
        return results.stream().mapToLong(r -> r.get(field)).sum();
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        for (Process process : processes) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Path err : errors) {
            try {
                Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // a leftover temp log harms nothing
            }
        }
    }
}
