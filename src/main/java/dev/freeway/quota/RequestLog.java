package dev.freeway.quota;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the operator's view reads about requests: the recent ones (each account's capped stream, written with its
 * settlement; refused requests in the pool's own), and the requests clients were refused, by hour, reason and
 * provider. A refusal is written in one round trip before the client gets its error; reading merges the streams.
 */
@ApplicationScoped
public class RequestLog {

    private static final Logger LOG = Logger.getLogger(RequestLog.class);
    /** The pseudo-account the requests no account served are kept under; account ids always hold a colon. */
    static final String POOL = "pool";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);

    private final RedisScripts redis;
    private final Clock clock;
    private final int keep;
    private final Duration keepFor;
    private final Duration ledgerDays;

    @Inject
    public RequestLog(RedisScripts redis, Clock clock, RequestLogConfig config, QuotaConfig quota) {
        this(redis, clock, config.keep(), config.keepFor(), Duration.ofDays(quota.ledgerDays()));
    }

    public RequestLog(RedisScripts redis, Clock clock, int keep, Duration keepFor, Duration ledgerDays) {
        this.redis = redis;
        this.clock = clock;
        this.keep = keep;
        this.keepFor = keepFor;
        this.ledgerDays = ledgerDays;
    }

    /**
     * A request a client was refused: one more in this hour for each of {@code reasons} ({@code <reason>:<provider>},
     * and {@code total:<answer>}), one more refused request of the named {@code client} (null for a request from no
     * named client), and its entry in the recent-requests list, in one round trip. Never throws: a refusal that
     * cannot be noted is still answered.
     */
    public void refused(Collection<String> reasons, String client, String entry) {
        Instant now = clock.instant();
        long expiry = now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS).plus(ledgerDays).toEpochMilli();
        Settlement note = new Settlement(POOL, "none", Settlement.Mode.FIGURES);
        String hour = QuotaKeys.refused(HOUR.format(now));
        reasons.forEach(reason -> note.histogram(hour, reason, expiry));
        if (client != null) {
            note.histogram(QuotaKeys.clients(POOL, HOUR.format(now)), ClientUsage.field(ClientUsage.REFUSED, client,
                    null), expiry);
        }
        if (entry != null) {
            note.recent(QuotaKeys.recent(POOL), keep, entry, keepFor.toMillis());
        }
        try {
            redis.eval(LuaScript.SETTLE, note.keys(), note.args());
        } catch (QuotaUnavailableException e) {
            LOG.debugf("Refusal not noted: %s", e.getMessage());
        }
    }

    /**
     * The latest recent-requests entries of these accounts (and of the refused requests), newest first, at most
     * {@code limit}: each stream's newest {@code limit}, merged by time.
     *
     * @throws QuotaUnavailableException when Redis cannot be reached
     */
    public List<String> recent(Collection<String> accounts, int limit) {
        List<Map.Entry<String, String>> all = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        accounts.forEach(account -> keys.add(QuotaKeys.recent(account)));
        keys.add(QuotaKeys.recent(POOL));
        for (String key : keys) {
            Response entries = redis.send(Request.cmd(Command.XREVRANGE).arg(key).arg("+").arg("-").arg("COUNT")
                    .arg(limit));
            for (Response item : entries) {
                Response fields = item.get(1);
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    if ("entry".equals(fields.get(i).toString())) {
                        all.add(Map.entry(item.get(0).toString(), fields.get(i + 1).toString()));
                    }
                }
            }
        }
        all.sort((a, b) -> compareIds(b.getKey(), a.getKey()));
        return all.stream().limit(limit).map(Map.Entry::getValue).toList();
    }

    /** Refusals per hour from {@code from} to now: the hour (UTC start), then {@code <reason>:<provider>} → count. */
    public Map<Instant, Map<String, Long>> refusals(Instant from) {
        Instant now = clock.instant();
        Map<Instant, Map<String, Long>> hours = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        List<Instant> starts = new ArrayList<>();
        for (Instant hour = from.truncatedTo(ChronoUnit.HOURS); !hour.isAfter(now); hour = hour.plus(1, ChronoUnit.HOURS)) {
            starts.add(hour);
            keys.add(QuotaKeys.refused(HOUR.format(hour)));
        }
        if (keys.isEmpty()) {
            return hours;
        }
        Response rows = redis.eval(LuaScript.LEDGER, keys, List.of());
        for (int i = 0; i < starts.size(); i++) {
            Map<String, Long> counts = new LinkedHashMap<>();
            HashFields.each(rows.get(i), counts::put);
            if (!counts.isEmpty()) {
                hours.put(starts.get(i), counts);
            }
        }
        return hours;
    }

    /** Stream ids ({@code <ms>-<seq>}) in time order. */
    private static int compareIds(String a, String b) {
        long[] x = parts(a);
        long[] y = parts(b);
        return x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]);
    }

    private static long[] parts(String id) {
        int dash = id.indexOf('-');
        return new long[]{Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))};
    }
}
