package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Scope;
import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.support.RedisBackend;
import io.vertx.mutiny.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a strategy reads of several accounts goes to Redis together, so it waits for one round trip, not one per
 * account: the Redis double here answers none of the reads until it holds all of them. Sent one after another,
 * the first would wait for an answer that never comes, and the reads would fail by the timeout.
 */
class ReadsTogetherTest {

    private static final LimitRule PER_DAY = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 100);

    private Vertx vertx;
    private HoldingRedis redis;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws IOException {
        redis.close();
        vertx.closeAndAwait();
    }

    @Test
    void the_usage_of_three_accounts_is_read_in_one_round_trip() throws IOException {
        redis = new HoldingRedis("evalsha", 3, "*1\r\n:7\r\n");
        RedisQuotaStore store = store();
        List<QuotaStore.Snapshot> asked = List.of("lab:a", "lab:b", "lab:c").stream()
                .map(account -> new QuotaStore.Snapshot(account, "m", List.of(PER_DAY), ZoneOffset.UTC)).toList();
        List<List<RuleUsage>> usage = store.snapshotEach(asked);
        assertEquals(3, usage.size());
        usage.forEach(rules -> assertEquals(7, rules.get(0).used()));
    }

    @Test
    void the_usage_and_latency_averages_of_three_accounts_are_read_in_one_round_trip() throws IOException {
        redis = new HoldingRedis("evalsha", 3, "*2\r\n:7\r\n$3\r\n250\r\n");
        List<QuotaStore.Standing> standings = store().standingEach(List.of("lab:a", "lab:b", "lab:c").stream()
                .map(account -> new QuotaStore.Snapshot(account, "m", List.of(PER_DAY), ZoneOffset.UTC)).toList());
        assertEquals(3, standings.size());
        standings.forEach(standing -> {
            assertEquals(7, standing.usage().get(0).used());
            assertEquals(Optional.of(250.0), standing.latencyMs());
        });
    }

    @Test
    void the_parkings_of_three_accounts_are_read_in_one_round_trip() throws IOException {
        String parked = ParkingText.stored(new QuotaStore.Parking(java.time.Instant.now().plusSeconds(60),
                "rate_limited: slow down", ParkingKind.RATE_LIMITED));
        redis = new HoldingRedis("mget", 3, "*2\r\n$-1\r\n$" + parked.getBytes(StandardCharsets.UTF_8).length
                + "\r\n" + parked + "\r\n");
        List<Optional<QuotaStore.Parking>> parkings = store().parkedEach(List.of(
                new QuotaStore.Parked("lab:a", "m"), new QuotaStore.Parked("lab:b", "m"),
                new QuotaStore.Parked("lab:c", "m")));
        assertEquals(3, parkings.size());
        parkings.forEach(p -> assertEquals("rate_limited: slow down", p.orElseThrow().reason()));
    }

    @Test
    void the_ledgers_client_figures_and_latencies_of_three_accounts_are_each_read_in_one_round_trip()
            throws IOException {
        java.time.Instant hour = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        List<UsageLedger.Rows> asked = List.of("lab:a", "lab:b", "lab:c").stream()
                .map(account -> new UsageLedger.Rows(account, hour, hour.plusSeconds(1))).toList();
        redis = new HoldingRedis("evalsha", 3, "*1\r\n*0\r\n");
        UsageLedger ledger = new UsageLedger(scripts(), Duration.ofDays(35), Clock.systemUTC());
        assertEquals(List.of(List.of(), List.of(), List.of()), ledger.readEach(asked));
        assertEquals(List.of(List.of(), List.of(), List.of()), ledger.clientsEach(asked));
        redis.close();

        redis = new HoldingRedis("evalsha", 3, "*1\r\n*2\r\n$5\r\n250:m\r\n$1\r\n4\r\n");
        java.time.LocalDate today = java.time.LocalDate.now(ZoneOffset.UTC);
        List<java.util.Map<Long, Long>> latency = new LatencyHistogram(scripts()).readEach(List.of("lab:a", "lab:b",
                "lab:c").stream().map(account -> new LatencyHistogram.Days(account, today, today)).toList());
        assertEquals(List.of(java.util.Map.of(250L, 4L), java.util.Map.of(250L, 4L), java.util.Map.of(250L, 4L)),
                latency);
    }

    @Test
    void scripts_a_restarted_redis_no_longer_knows_are_sent_again_together() throws IOException {
        redis = new HoldingRedis("eval", 3, "*1\r\n:7\r\n", "evalsha");
        List<List<RuleUsage>> usage = store().snapshotEach(List.of("lab:a", "lab:b", "lab:c").stream()
                .map(account -> new QuotaStore.Snapshot(account, "m", List.of(PER_DAY), ZoneOffset.UTC)).toList());
        usage.forEach(rules -> assertEquals(7, rules.get(0).used()));
    }

    private RedisQuotaStore store() {
        RedisScripts scripts = scripts();
        return new RedisQuotaStore(scripts, new UsageLedger(scripts, Duration.ofDays(35), Clock.systemUTC()),
                RedisFailureMode.FAIL_CLOSED, Duration.ofMinutes(5), Clock.systemUTC());
    }

    private RedisScripts scripts() {
        return new RedisScripts(RedisBackend.client(vertx, false, List.of("redis://127.0.0.1:" + redis.port())),
                Duration.ofSeconds(2));
    }

    /**
     * Speaks just enough RESP for one client: PING is answered, every other command but the held one is refused at
     * once (the client's HELLO, so it speaks RESP2); the held one is answered with {@code reply}, each in turn, once {@code hold} of
     * them have come.
     */
    private static final class HoldingRedis implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;

        HoldingRedis(String held, int hold, String reply) throws IOException {
            this(held, hold, reply, null);
        }

        /** As above, and {@code unknownScripts} (EVALSHA) is answered NOSCRIPT at once, as a restarted Redis does. */
        HoldingRedis(String held, int hold, String reply, String unknownScripts) throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> serve(held, hold, reply, unknownScripts), "holding-redis");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(String held, int hold, String reply, String unknownScripts) {
            while (!server.isClosed()) {
                try (Socket client = server.accept()) {
                    InputStream in = new BufferedInputStream(client.getInputStream());
                    OutputStream out = client.getOutputStream();
                    int waiting = 0;
                    List<String> command;
                    while ((command = command(in)) != null) {
                        String name = command.get(0).toLowerCase(Locale.ROOT);
                        if (name.equals("ping")) {
                            out.write("+PONG\r\n".getBytes(StandardCharsets.UTF_8));
                        } else if (name.equals(unknownScripts)) {
                            out.write("-NOSCRIPT No matching script. Please use EVAL.\r\n"
                                    .getBytes(StandardCharsets.UTF_8));
                        } else if (!name.equals(held)) {
                            out.write("-ERR unknown command\r\n".getBytes(StandardCharsets.UTF_8));
                        } else if (++waiting == hold) {
                            out.write(reply.repeat(hold).getBytes(StandardCharsets.UTF_8));
                            waiting = 0;
                        }
                        out.flush();
                    }
                } catch (IOException closed) {
                    // the client or the test went away
                }
            }
        }

        /** One command (an array of bulk strings), or null at the end of the stream. */
        private static List<String> command(InputStream in) throws IOException {
            String header = line(in);
            if (header == null) {
                return null;
            }
            int count = Integer.parseInt(header.substring(1));
            List<String> args = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int length = Integer.parseInt(line(in).substring(1));
                args.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
                in.readNBytes(2);
            }
            return args;
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    return null;
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
