package dev.freeway.quota;

import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Latency histograms per account and UTC day, read for status and the dashboard's p50/p95: one Redis hash
 * {@code fw:{acct:<id>}:latency:<yyyyMMdd>} whose fields {@code <le>:<model>} count calls answered within
 * {@code le} ms (the smallest of {@link #BOUNDS_MS} at or above the latency; {@code inf} beyond the last).
 *
 * <p>A served request's settlement adds its one call here in the same script ({@code RedisQuotaStore.served}, with
 * the request's {@link Trail}), and the key expires at the day's end plus the ledger's days. So the counts are also
 * the requests served, per account and UTC day.
 */
@ApplicationScoped
public class LatencyHistogram {

    /** Bucket bounds in ms: fine where LLM calls answer (first byte), coarse beyond. */
    public static final long[] BOUNDS_MS = {100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000};
    /** The bucket of calls slower than the last bound. */
    public static final long BEYOND = Long.MAX_VALUE;
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final RedisScripts redis;

    @Inject
    public LatencyHistogram(RedisScripts redis) {
        this.redis = redis;
    }

    /** The hash of one account and UTC day. */
    public static String key(String account, LocalDate utcDay) {
        return QuotaKeys.account(account) + "latency:" + DAY.format(utcDay);
    }

    /** The field a call of this latency adds 1 to. */
    public static String field(String model, Duration latency) {
        long ms = latency.toMillis();
        for (long bound : BOUNDS_MS) {
            if (ms <= bound) {
                return bound + ":" + model;
            }
        }
        return "inf:" + model;
    }

    /**
     * Calls per bucket bound ({@link #BEYOND} for the last) of an account over the UTC days from {@code first} to
     * {@code last}, every model together.
     *
     * @throws QuotaUnavailableException when Redis cannot be reached
     */
    public Map<Long, Long> read(String account, LocalDate first, LocalDate last) {
        return readEach(List.of(new Days(account, first, last))).get(0);
    }

    /** What {@link #readEach} reads: an account's histograms over the UTC days from {@code first} to {@code last}. */
    public record Days(String account, LocalDate first, LocalDate last) {
    }

    /**
     * {@link #read} of each account and range of days, in order; sent together, so they wait for one round trip.
     *
     * @throws QuotaUnavailableException when Redis cannot be reached
     */
    public List<Map<Long, Long>> readEach(List<Days> asked) {
        List<RedisScripts.Call> calls = new ArrayList<>(asked.size());
        for (Days days : asked) {
            List<String> keys = new ArrayList<>();
            for (LocalDate day = days.first(); !day.isAfter(days.last()); day = day.plusDays(1)) {
                keys.add(key(days.account(), day));
            }
            calls.add(new RedisScripts.Call(LuaScript.LEDGER, keys, List.of())); // HGETALL of each key
        }
        return redis.evalEach(calls).stream().map(LatencyHistogram::counts).toList();
    }

    private static Map<Long, Long> counts(Response days) {
        Map<Long, Long> counts = new TreeMap<>();
        for (int i = 0; i < days.size(); i++) {
            HashFields.each(days.get(i), (field, count) -> {
                String le = field.substring(0, Math.max(0, field.indexOf(':')));
                long bound = le.equals("inf") ? BEYOND : parse(le);
                if (bound > 0) {
                    counts.merge(bound, count, Long::sum);
                }
            });
        }
        return counts;
    }

    /** The bucket bound under which a share {@code p} (0.5, 0.95) of the calls answered; empty without calls. */
    public static Optional<Long> percentile(Map<Long, Long> counts, double p) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return Optional.empty();
        }
        long needed = (long) Math.ceil(total * p);
        long seen = 0;
        for (Map.Entry<Long, Long> bucket : new TreeMap<>(counts).entrySet()) {
            seen += bucket.getValue();
            if (seen >= needed) {
                return Optional.of(bucket.getKey());
            }
        }
        return Optional.of(BEYOND);
    }

    private static long parse(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
