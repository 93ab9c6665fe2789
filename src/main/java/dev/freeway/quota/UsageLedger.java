package dev.freeway.quota;

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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Usage per account, model and UTC hour (requests, input and output tokens, fallbacks, errors, estimated), kept for
 * {@code freeway.quota.ledger-days} for status and the dashboard. One Redis hash per account and hour, with fields
 * {@code <figure>:<model>}; a settle adds its call here in the same script, so serving a call costs no extra round
 * trip. Beside it, in the same slot and script, each named client's figures ({@link #clients}).
 */
@ApplicationScoped
public class UsageLedger {

    private static final Logger LOG = Logger.getLogger(UsageLedger.class);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);
    private static final String[] FIGURES = {"requests", "input_tokens", "output_tokens", "fallbacks", "errors",
            "estimated"};

    private final RedisScripts redis;
    private final Duration keep;
    private final Clock clock;

    @Inject
    public UsageLedger(RedisScripts redis, QuotaConfig config, Clock clock) {
        this(redis, Duration.ofDays(config.ledgerDays()), clock);
    }

    public UsageLedger(RedisScripts redis, Duration keep, Clock clock) {
        this.redis = redis;
        this.keep = keep;
        this.clock = clock;
    }

    /** Days the ledger is kept. */
    long keepDays() {
        return keep.toDays();
    }

    /**
     * Adds figures to the current hour of an account and model. Never throws: losing a ledger entry while Redis is
     * away must not fail a request that was served; the failure shows as "degraded".
     */
    public void record(String account, String model, UsageCounts counts) {
        Settlement settlement = new Settlement(account, "none", Settlement.Mode.FIGURES)
                .ledger(write(account, model, counts, clock.instant()));
        if (settlement.isEmpty()) {
            return;
        }
        try {
            redis.eval(LuaScript.SETTLE, settlement.keys(), settlement.args());
        } catch (QuotaUnavailableException e) {
            LOG.warnf("Usage of %s %s not recorded: %s", account, model, e.getMessage());
        }
    }

    /**
     * The ledger rows of an account for the hours from {@code from} to {@code to} (exclusive), oldest first; hours
     * older than the ledger keeps, and hours still to come, are left out.
     *
     * @throws QuotaUnavailableException when Redis cannot be reached
     */
    public List<HourlyUsage> read(String account, Instant from, Instant to) {
        return readEach(List.of(new Rows(account, from, to))).get(0);
    }

    /** What {@link #readEach} reads: an account's ledger rows from {@code from} to {@code to}. */
    public record Rows(String account, Instant from, Instant to) {
    }

    /**
     * {@link #read} of each account and range, in order; the reads are sent together, so they wait for one round
     * trip.
     *
     * @throws QuotaUnavailableException when Redis cannot be reached
     */
    public List<List<HourlyUsage>> readEach(List<Rows> asked) {
        List<List<Instant>> hours = new ArrayList<>(asked.size());
        List<RedisScripts.Call> calls = new ArrayList<>(asked.size());
        for (Rows rows : asked) {
            List<Instant> each = hours(rows.from(), rows.to());
            hours.add(each);
            if (!each.isEmpty()) {
                calls.add(new RedisScripts.Call(LuaScript.LEDGER, each.stream()
                        .map(hour -> QuotaKeys.ledger(rows.account(), HOUR.format(hour))).toList(), List.of()));
            }
        }
        java.util.Iterator<Response> answers = redis.evalEach(calls).iterator();
        List<List<HourlyUsage>> read = new ArrayList<>(asked.size());
        for (List<Instant> each : hours) {
            Response response = each.isEmpty() ? null : answers.next();
            List<HourlyUsage> rows = new ArrayList<>();
            for (int i = 0; i < each.size(); i++) {
                rows.addAll(rows(each.get(i), response.get(i)));
            }
            read.add(rows);
        }
        return read;
    }

    /**
     * The named clients' figures kept in an account's slot (requests served, tokens, per client and model) from
     * {@code from} to {@code to}, added up; {@link #clientRefusals} for the requests they were refused.
     *
     * @throws QuotaUnavailableException when Redis cannot be reached
     */
    public List<ClientUsage> clients(String account, Instant from, Instant to) {
        return clientsEach(List.of(new Rows(account, from, to))).get(0);
    }

    /**
     * {@link #clients} of each account and range, in order; sent together, so they wait for one round trip.
     *
     * @throws QuotaUnavailableException when Redis cannot be reached
     */
    public List<List<ClientUsage>> clientsEach(List<Rows> asked) {
        List<List<String>> keys = asked.stream().map(rows -> hours(rows.from(), rows.to()).stream()
                .map(hour -> QuotaKeys.clients(rows.account(), HOUR.format(hour))).toList()).toList();
        java.util.Iterator<Response> answers = redis.evalEach(keys.stream().filter(k -> !k.isEmpty())
                .map(k -> new RedisScripts.Call(LuaScript.LEDGER, k, List.of())).toList()).iterator();
        return keys.stream().map(k -> k.isEmpty() ? List.<ClientUsage>of() : summed(k.size(), answers.next()))
                .toList();
    }

    /** The figures of {@code hours} client hashes, added up per client and model. */
    private static List<ClientUsage> summed(int hours, Response response) {
        Map<String, ClientUsage> summed = new TreeMap<>();
        for (int i = 0; i < hours; i++) {
            HashFields.each(response.get(i), (field, value) -> {
                ClientUsage figure = ClientUsage.parse(field, value);
                if (figure != null) {
                    summed.merge(figure.client() + "\u0000" + figure.model(), figure, ClientUsage::plus);
                }
            });
        }
        return List.copyOf(summed.values());
    }

    /** The requests each named client was refused from {@code from} to {@code to}, kept with the pool's refusals. */
    public List<ClientUsage> clientRefusals(Instant from, Instant to) {
        return clients(RequestLog.POOL, from, to);
    }

    /**
     * A served request's figures for its named client, in the serving account's slot and the same settle script:
     * no round trip of its own, and no key of another slot (Redis Cluster).
     */
    void client(Settlement settlement, String account, String client, String model, Spent spent, Instant now) {
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        String key = QuotaKeys.clients(account, HOUR.format(hour));
        long expiry = expiry(hour);
        settlement.increment(key, ClientUsage.field(ClientUsage.SERVED, client, model), 1, expiry);
        if (spent.inputTokens() > 0) {
            settlement.increment(key, ClientUsage.field(ClientUsage.INPUT, client, model), spent.inputTokens(), expiry);
        }
        if (spent.outputTokens() > 0) {
            settlement.increment(key, ClientUsage.field(ClientUsage.OUTPUT, client, model), spent.outputTokens(),
                    expiry);
        }
    }

    /** When an hour's ledger hash goes: the ledger's days after the hour ends. */
    long expiry(Instant hour) {
        return hour.plus(1, ChronoUnit.HOURS).plus(keep).toEpochMilli();
    }

    /** The UTC hours from {@code from} to {@code to} (exclusive) the ledger still keeps, none still to come. */
    private List<Instant> hours(Instant from, Instant to) {
        Instant now = clock.instant();
        Instant first = later(from, now.minus(keep)).truncatedTo(ChronoUnit.HOURS);
        Instant nextHour = now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
        Instant end = to.isAfter(nextHour) ? nextHour : to;
        List<Instant> hours = new ArrayList<>();
        for (Instant hour = first; hour.isBefore(end); hour = hour.plus(1, ChronoUnit.HOURS)) {
            hours.add(hour);
        }
        return hours;
    }

    /** The ledger part of a settle script call: which hash, until when, and which fields grow by how much. */
    Write write(String account, String model, UsageCounts counts, Instant now) {
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        long[] values = {counts.requests(), counts.inputTokens(), counts.outputTokens(), counts.fallbacks(), counts.errors(),
                counts.estimated()};
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < FIGURES.length; i++) {
            if (values[i] != 0) {
                fields.add(FIGURES[i] + ":" + model);
                fields.add(Long.toString(values[i]));
            }
        }
        long expiry = expiry(hour);
        return new Write(QuotaKeys.ledger(account, HOUR.format(hour)), expiry, fields);
    }

    private static List<HourlyUsage> rows(Instant hour, Response flat) {
        Map<String, long[]> byModel = new TreeMap<>();
        HashFields.each(flat, (field, value) -> {
            int colon = field.indexOf(':');
            int figure = colon < 0 ? -1 : List.of(FIGURES).indexOf(field.substring(0, colon));
            if (figure >= 0) {
                byModel.computeIfAbsent(field.substring(colon + 1), m -> new long[FIGURES.length])[figure] = value;
            }
        });
        List<HourlyUsage> rows = new ArrayList<>();
        byModel.forEach((model, v) -> rows.add(new HourlyUsage(hour, model, new UsageCounts(v[0], v[1], v[2], v[3], v[4], v[5]))));
        return rows;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Arguments for settle.lua's ledger section; the key goes after the rule keys. */
    static final class Write {
        final String key;
        final long expiry;
        final List<String> fields;

        Write(String key, long expiry, List<String> fields) {
            this.key = key;
            this.expiry = expiry;
            this.fields = fields;
        }

        /** Appends "number of fields, expiry, field/increment pairs" after settle.lua's first two arguments. */
        void appendArgs(List<String> args) {
            args.add(Integer.toString(fields.size() / 2));
            args.add(Long.toString(expiry));
            args.addAll(fields);
        }
    }
}
