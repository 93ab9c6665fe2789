package dev.freeway.cache;

import dev.freeway.quota.LuaScript;
import dev.freeway.quota.RedisScripts;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kept answers in Redis, each scope apart. A scope's keys all start with {@code fw:{cache:<scope>}:} (one cluster
 * slot): {@code e:<key>} is a hash holding one answer and what served it; {@code order}, {@code sizes} and
 * {@code total} index the scope's entries by age and count their bytes; {@code figures:<yyyyMMddHH>} counts the
 * hour's hits, misses and what the hits saved. Every entry expires after the TTL; a put that would take the scope
 * over its byte cap evicts the scope's oldest entries first, in the same script, so Redis never holds more than the
 * cap per scope. Figures are kept two days (long enough for "today" in any zone).
 *
 * <p>One round trip each: a lookup reads the entry and counts the hit or miss (and a hit's savings) in one script; a
 * put writes and evicts in one. Scripts run through {@link RedisScripts}, the one bounded, shared connection the quota
 * engine uses (a pooled call per request can stall on a cluster under load); every call gives up after
 * {@code freeway.quota.redis-timeout}, and callers treat a failure as "no answer kept".
 */
// Built at start-up: a freeway.cache.ttl or max-bytes of zero or less stops start-up, not every call.
@io.quarkus.runtime.Startup
@ApplicationScoped
public class ResponseCache {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);
    /** How long an hour's figures are kept after the hour. */
    static final Duration FIGURES_KEPT = Duration.ofDays(2);

    private static final LuaScript LOOKUP = LuaScript.at("/cache/lookup.lua");
    private static final LuaScript PUT = CappedKeeping.script("/cache/put.lua");
    private static final LuaScript FIGURES = LuaScript.at("/cache/figures.lua");

    private final RedisScripts redis;
    private final Duration ttl;
    private final long maxBytes;
    private final Clock clock;

    @Inject
    public ResponseCache(RedisScripts redis, CacheConfig config, Clock clock) {
        this(redis, config.ttl(), config.maxBytes().asLongValue(), clock);
    }

    public ResponseCache(RedisScripts redis, Duration ttl, long maxBytes, Clock clock) {
        if (ttl.toMillis() <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("freeway.cache.ttl and freeway.cache.max-bytes must be positive");
        }
        this.redis = redis;
        this.ttl = ttl;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /** A lookup's outcome. */
    public sealed interface Lookup {
        /** An answer was kept for the key; the hit and its savings are counted. */
        record Found(CachedAnswer answer) implements Lookup {
        }

        /** None was; the miss is counted. */
        record Missing() implements Lookup {
        }

        /** Redis did not answer, or answered with an error: nothing is known, nothing counted. */
        record Failed(RuntimeException cause) implements Lookup {
        }
    }

    /** What a put did. */
    public enum Stored {
        /** Kept until the TTL, or until newer answers of the scope need its room. */
        KEPT,
        /** Larger than the scope's whole cap: not kept, and nothing else evicted for it. */
        TOO_LARGE
    }

    /** Looks the key up and counts the hit or miss; never throws. */
    public Lookup lookup(CacheScope scope, String key) {
        Instant now = clock.instant();
        try {
            Response found = redis.eval(LOOKUP, List.of(entry(scope, key), figures(scope, now)),
                    List.of(Long.toString(figuresExpiry(now))));
            if (found == null || found.size() < 6) {
                return new Lookup.Missing();
            }
            CachedAnswer answer = CachedAnswer.read(found.get(0).toString(), found.get(1).toString(),
                    found.get(2).toString(), found.get(3).toLong(), found.get(4).toLong(), found.get(5).toString());
            return answer == null ? new Lookup.Failed(new IllegalStateException("an entry not written by put"))
                    : new Lookup.Found(answer);
        } catch (RuntimeException e) {
            return new Lookup.Failed(e);
        }
    }

    /**
     * Keeps an answer for the TTL, evicting the scope's oldest entries when it needs room.
     *
     * @throws RuntimeException when Redis does not answer in time or refuses
     */
    public Stored put(CacheScope scope, String key, CachedAnswer answer) {
        String prefix = scope.prefix() + "e:";
        Response evicted = redis.eval(PUT, List.of(prefix + key, scope.prefix() + "order",
                scope.prefix() + "sizes", scope.prefix() + "total"), List.of(key, answer.stored(),
                Long.toString(ttl.toMillis()), Long.toString(maxBytes), Long.toString(clock.millis()), prefix,
                answer.provider(), answer.model(), answer.account(), Long.toString(answer.usage().promptTokens()),
                Long.toString(answer.usage().completionTokens())));
        return evicted.toLong() < 0 ? Stored.TOO_LARGE : Stored.KEPT;
    }

    /**
     * The figures of these scopes for the hours from {@code from} to {@code to} (exclusive) that are still kept.
     *
     * @throws RuntimeException when Redis does not answer in time
     */
    public CacheFigures figures(List<CacheScope> scopes, Instant from, Instant to) {
        Instant now = clock.instant();
        Instant oldest = now.minus(FIGURES_KEPT).truncatedTo(ChronoUnit.HOURS);
        Instant first = (from.isBefore(oldest) ? oldest : from).truncatedTo(ChronoUnit.HOURS);
        Instant nextHour = now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        Instant end = to.isAfter(nextHour) ? nextHour : to;
        long hits = 0;
        long misses = 0;
        Map<String, long[]> saved = new TreeMap<>();
        for (CacheScope scope : scopes) {
            List<String> keys = new ArrayList<>();
            for (Instant hour = first; hour.isBefore(end); hour = hour.plus(1, ChronoUnit.HOURS)) {
                keys.add(figures(scope, hour));
            }
            if (keys.isEmpty()) {
                continue;
            }
            Response hours = redis.eval(FIGURES, keys, List.of());
            for (int i = 0; i < hours.size(); i++) {
                Response flat = hours.get(i);
                for (int j = 0; j + 1 < flat.size(); j += 2) {
                    String field = flat.get(j).toString();
                    long value = flat.get(j + 1).toLong();
                    switch (field) {
                        case "hits" -> hits += value;
                        case "misses" -> misses += value;
                        default -> add(saved, field, value);
                    }
                }
            }
        }
        List<CacheFigures.Saved> rows = new ArrayList<>();
        saved.forEach((served, v) -> {
            int slash = served.indexOf('/');
            rows.add(new CacheFigures.Saved(served.substring(0, slash), served.substring(slash + 1), v[0], v[1], v[2]));
        });
        return new CacheFigures(hits, misses, List.copyOf(rows));
    }

    public Duration ttl() {
        return ttl;
    }

    private static void add(Map<String, long[]> saved, String field, long value) {
        int colon = field.indexOf(':');
        if (colon < 0 || field.indexOf('/', colon) < 0) {
            return;
        }
        int figure = switch (field.substring(0, colon)) {
            case "requests" -> 0;
            case "input_tokens" -> 1;
            case "output_tokens" -> 2;
            default -> -1;
        };
        if (figure >= 0) {
            saved.computeIfAbsent(field.substring(colon + 1), f -> new long[3])[figure] += value;
        }
    }

    private static String entry(CacheScope scope, String key) {
        return scope.prefix() + "e:" + key;
    }

    private static String figures(CacheScope scope, Instant hour) {
        return scope.prefix() + "figures:" + HOUR.format(hour);
    }

    private static long figuresExpiry(Instant now) {
        return now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS).plus(FIGURES_KEPT).toEpochMilli();
    }
}
