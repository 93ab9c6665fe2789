import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load client for the gateway benchmark: C threads, each sending the same chat completion request
 * one after another until N requests were sent or D seconds passed, whichever comes first. For every request it
 * records the time to the first byte of the body (what a streaming client waits for) and to the last byte.
 * Loopback only: it refuses any host other than 127.0.0.1 or localhost.
 *
 * <p>Run: {@code java LoadClient.java URL BODY_FILE CONCURRENCY MAX_REQUESTS MAX_SECONDS LABEL [WARMUP]}; WARMUP
 * requests (default 0) are sent first and not recorded. Prints one line of figures in milliseconds.
 */
public final class LoadClient {

    /** Every run is bounded: in count here, in time by MAX_SECONDS. */
    private static final long MAX_REQUESTS = 200_000;

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        if (!url.getHost().equals("127.0.0.1") && !url.getHost().equals("localhost")) {
            throw new IllegalArgumentException("the benchmark only calls loopback addresses, not " + url.getHost());
        }
        byte[] body = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(args[1]));
        int concurrency = Integer.parseInt(args[2]);
        long maxRequests = Long.parseLong(args[3]);
        if (maxRequests < 1 || maxRequests > MAX_REQUESTS) {
            throw new IllegalArgumentException("MAX_REQUESTS must be 1.." + MAX_REQUESTS);
        }
        long maxNanos = Duration.ofSeconds(Long.parseLong(args[4])).toNanos();
        String label = args[5];
        long warmup = args.length > 6 ? Long.parseLong(args[6]) : 0;
        boolean stream = new String(body, StandardCharsets.UTF_8).replace(" ", "").contains("\"stream\":true");

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        if (warmup > 0) {
            run(client, request, stream, concurrency, warmup, System.nanoTime() + maxNanos);
        }
        long started = System.nanoTime();
        Run run = run(client, request, stream, concurrency, maxRequests, started + maxNanos);
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Long> ttfb = new ArrayList<>();
        List<Long> total = new ArrayList<>();
        for (long[] samples : run.perThread()) {
            long n = samples[samples.length - 1];
            for (int i = 0; i < n; i++) {
                ttfb.add(samples[2 * i]);
                total.add(samples[2 * i + 1]);
            }
        }
        long[] first = ttfb.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] last = total.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%s ok=%d errors=%d seconds=%.1f rps=%.0f"
                        + " ttfb_p50=%.3f ttfb_p90=%.3f ttfb_p99=%.3f total_p50=%.3f total_p90=%.3f total_p99=%.3f"
                        + " total_max=%.3f%n",
                label, last.length, run.errors(), seconds, last.length / seconds,
                ms(first, 50), ms(first, 90), ms(first, 99), ms(last, 50), ms(last, 90), ms(last, 99),
                last.length == 0 ? 0 : last[last.length - 1] / 1e6);
    }

    /** Samples per thread (first byte, last byte; the count in the last slot) and the failed requests. */
    private record Run(List<long[]> perThread, long errors) {
    }

    private static Run run(HttpClient client, HttpRequest request, boolean stream, int concurrency, long maxRequests,
                           long deadline) throws InterruptedException {
        AtomicLong issued = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            long[] samples = new long[(int) maxRequests * 2 + 1];
            perThread.add(samples);
            Thread thread = new Thread(() -> {
                int n = 0;
                while (issued.incrementAndGet() <= maxRequests && System.nanoTime() < deadline) {
                    long begin = System.nanoTime();
                    try {
                        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                        try (InputStream in = response.body()) {
                            byte[] buffer = new byte[8192];
                            int read = in.read(buffer);
                            long firstByte = System.nanoTime();
                            StringBuilder text = new StringBuilder();
                            while (read >= 0) {
                                text.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                                read = in.read(buffer);
                            }
                            long done = System.nanoTime();
                            boolean ok = response.statusCode() == 200 && (stream
                                    ? text.toString().contains("data: [DONE]") : text.toString().contains("\"choices\""));
                            if (!ok) {
                                errors.incrementAndGet();
                                continue;
                            }
                            samples[2 * n] = firstByte - begin;
                            samples[2 * n + 1] = done - begin;
                            n++;
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                samples[samples.length - 1] = n;
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Run(perThread, errors.get());
    }

    /** The p-th percentile in milliseconds (nearest rank). */
    private static double ms(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
