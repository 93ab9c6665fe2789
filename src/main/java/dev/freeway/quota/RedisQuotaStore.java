package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The quota store on Redis: every decision is one Lua script on the keys of one account. A served call costs two
 * round trips, reserve before the provider call and settle (with the ledger and any provider-reported figures)
 * after it.
 *
 * <p>Redis failures: {@link #reserve} and {@link #parked} follow {@code freeway.quota.redis-failure-mode};
 * settle, release, park, correct and ledger writes never throw, because the provider call they follow has already
 * happened and failing the response would not undo it.
 */
@ApplicationScoped
public class RedisQuotaStore implements QuotaStore {

    private static final Logger LOG = Logger.getLogger(RedisQuotaStore.class);
    /** Longest parking kept: a month window is at most 31 days, and the provider's next refusal parks again. */
    private static final Duration LONGEST_PARKING = Duration.ofDays(32);
    /** Extra life of a window key after its window, on top of the lease, for late settlements. */
    private static final Duration SETTLE_GRACE = Duration.ofMinutes(1);

    private final QuotaRedis redis;
    private final UsageLedger ledger;
    private final RedisFailureMode failureMode;
    private final Duration lease;
    private final Duration margin;
    private final Clock clock;

    @Inject
    public RedisQuotaStore(QuotaRedis redis, UsageLedger ledger, QuotaConfig config) {
        this(redis, ledger, config.redisFailureMode(), Duration.ofSeconds(config.leaseSeconds()), Clock.systemUTC());
    }

    public RedisQuotaStore(QuotaRedis redis, UsageLedger ledger, RedisFailureMode failureMode, Duration lease, Clock clock) {
        this.redis = redis;
        this.ledger = ledger;
        this.failureMode = failureMode;
        this.lease = lease;
        this.margin = lease.plus(SETTLE_GRACE);
        this.clock = clock;
    }

    @Override
    public Reservation reserve(QuotaRequest request) {
        return reserve(request, CreditPrice.NONE);
    }

    @Override
    public Reservation reserve(QuotaRequest request, CreditPrice price) {
        if (request.model() == null || request.model().isEmpty()) {
            throw new IllegalArgumentException("a reservation needs a model");
        }
        Instant now = clock.instant();
        String id = newId();
        List<CountedRule> rules = new ArrayList<>(plan(request, price, now).values());
        for (CountedRule rule : rules) {
            // Decided without Redis: a call larger than the whole limit, or a grant past its last day, never fits.
            if (rule.amount() > rule.rule().limit() || CountedRule.grantOver(rule.rule(), request.zone(), now)) {
                return denied(request, id, rule.rule().identity(), null);
            }
        }
        Response response;
        try {
            response = redis.eval(LuaScript.RESERVE, reserveKeys(request, rules), reserveArgs(id, rules));
        } catch (QuotaUnavailableException e) {
            if (failureMode == RedisFailureMode.FAIL_OPEN) {
                return new Reservation(true, id, request.account(), request.model(), Uncounted.HANDLE, null, null,
                        Reservation.Remaining.UNKNOWN);
            }
            throw e;
        }
        if (response.get(0).toInteger() == 0) {
            return denial(request, id, rules, response);
        }
        Ticket ticket = new Ticket(request.account(), request.model(), id, List.copyOf(rules), price);
        return new Reservation(true, id, request.account(), request.model(), ticket, null, null,
                remaining(rules, response, now));
    }

    @Override
    public void settle(Reservation reservation, long inputTokens, long outputTokens) {
        settle(reservation, inputTokens, outputTokens, List.of());
    }

    @Override
    public void settle(Reservation reservation, long inputTokens, long outputTokens, List<ReportedRemaining> reported) {
        Ticket ticket = openTicket(reservation);
        if (ticket == null) {
            return;
        }
        Settlement settlement = new Settlement(ticket.id)
                .ledger(ledger.write(ticket.account, ticket.model, UsageCounts.served(inputTokens, outputTokens), clock.instant()));
        for (CountedRule rule : ticket.rules) {
            long actual = CountedRule.amount(rule.rule().metric(), inputTokens, outputTokens, ticket.price);
            settlement.rule(rule, rule.amount(), actual, floor(rule.rule(), reported));
        }
        apply("settle", ticket.account, settlement);
    }

    @Override
    public void release(Reservation reservation) {
        Ticket ticket = openTicket(reservation);
        if (ticket == null) {
            return;
        }
        Settlement settlement = new Settlement(ticket.id);
        for (CountedRule rule : ticket.rules) {
            settlement.rule(rule, rule.amount(), 0, -1);
        }
        apply("release", ticket.account, settlement);
    }

    @Override
    public void correct(String account, String model, List<LimitRule> rules, ZoneId zone,
                        List<ReportedRemaining> reported) {
        Settlement settlement = new Settlement(newId());
        QuotaRequest scope = new QuotaRequest(account, model, rules, zone, 0, 0);
        for (CountedRule rule : plan(scope, CreditPrice.NONE, clock.instant()).values()) {
            long floor = floor(rule.rule(), reported);
            if (floor >= 0 && !rule.kind().equals("l")) {
                settlement.rule(rule, 0, 0, floor);
            }
        }
        if (!settlement.isEmpty()) {
            apply("correct", account, settlement);
        }
    }

    @Override
    public void park(String account, String model, Instant until, String reason) {
        Instant now = clock.instant();
        if (until == null || !until.isAfter(now)) {
            return;
        }
        Instant kept = until.isAfter(now.plus(LONGEST_PARKING)) ? now.plus(LONGEST_PARKING) : until;
        String why = reason == null ? "" : reason.replaceAll("\\s+", " ").trim();
        List<String> args = List.of(Long.toString(kept.toEpochMilli()), why.length() > 300 ? why.substring(0, 300) : why);
        try {
            redis.eval(LuaScript.PARK, List.of(QuotaKeys.parking(account, model)), args);
        } catch (QuotaUnavailableException e) {
            LOG.warnf("Parking of %s %s not stored: %s", account, model == null ? "" : model, e.getMessage());
        }
    }

    @Override
    public Optional<Parking> parked(String account, String model) {
        Request get = Request.cmd(Command.MGET).arg(QuotaKeys.parking(account, null)).arg(QuotaKeys.parking(account, model));
        Response values;
        try {
            values = redis.send(get);
        } catch (QuotaUnavailableException e) {
            if (failureMode == RedisFailureMode.FAIL_OPEN) {
                return Optional.empty();
            }
            throw e;
        }
        Parking latest = null;
        for (int i = 0; i < values.size(); i++) {
            Response value = values.get(i);
            Parking parking = value == null ? null : parking(value.toString());
            if (parking != null && (latest == null || parking.until().isAfter(latest.until()))) {
                latest = parking;
            }
        }
        return Optional.ofNullable(latest).filter(p -> p.until().isAfter(clock.instant()));
    }

    @Override
    public List<RuleUsage> snapshot(String account, String model, List<LimitRule> rules, ZoneId zone) {
        Instant now = clock.instant();
        List<CountedRule> counted = new ArrayList<>(plan(new QuotaRequest(account, model, rules, zone, 0, 0),
                CreditPrice.NONE, now).values());
        if (counted.isEmpty()) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (CountedRule rule : counted) {
            keys.add(rule.key());
            args.add(rule.kind());
            args.add(Long.toString(rule.span()));
        }
        Response used = redis.eval(LuaScript.SNAPSHOT, keys, args);
        List<RuleUsage> usage = new ArrayList<>();
        for (int i = 0; i < counted.size(); i++) {
            CountedRule rule = counted.get(i);
            usage.add(new RuleUsage(rule.rule(), used.get(i).toLong(), rule.reset()));
        }
        return usage;
    }

    @Override
    public boolean degraded() {
        return redis.degraded();
    }

    /**
     * Rules by key. Two rules with one key count the same thing (an account's rule replacing the catalog's has the
     * catalog rule's identity); the later one wins, and counting both would count the call twice.
     */
    private Map<String, CountedRule> plan(QuotaRequest request, CreditPrice price, Instant now) {
        Map<String, CountedRule> rules = new LinkedHashMap<>();
        for (LimitRule rule : request.rules()) {
            long amount = CountedRule.amount(rule.metric(), request.inputTokens(), request.outputTokens(), price);
            CountedRule counted = CountedRule.of(rule, request.account(), request.model(), request.zone(), now, amount,
                    margin, lease);
            rules.remove(counted.key());
            rules.put(counted.key(), counted);
        }
        return rules;
    }

    private static List<String> reserveKeys(QuotaRequest request, List<CountedRule> rules) {
        List<String> keys = new ArrayList<>(rules.size() + 2);
        keys.add(QuotaKeys.parking(request.account(), null));
        keys.add(QuotaKeys.parking(request.account(), request.model()));
        rules.forEach(rule -> keys.add(rule.key()));
        return keys;
    }

    private static List<String> reserveArgs(String id, List<CountedRule> rules) {
        List<String> args = new ArrayList<>(rules.size() * 5 + 2);
        args.add(Integer.toString(rules.size()));
        args.add(id);
        for (CountedRule rule : rules) {
            args.add(rule.kind());
            args.add(Long.toString(rule.amount()));
            args.add(Long.toString(rule.rule().limit()));
            args.add(Long.toString(rule.expiry()));
            args.add(Long.toString(rule.span()));
        }
        return args;
    }

    private Reservation denial(QuotaRequest request, String id, List<CountedRule> rules, Response response) {
        int index = response.get(1).toInteger();
        if (index == 0) {
            Parking parking = parking(response.get(2).toString());
            return denied(request, id, "parked: " + parking.reason(), parking.until());
        }
        CountedRule rule = rules.get(index - 1);
        long retry = response.get(2).toLong();
        return denied(request, id, rule.rule().identity(), retry > 0 ? Instant.ofEpochMilli(retry) : rule.reset());
    }

    private static Reservation denied(QuotaRequest request, String id, String rule, Instant retryAt) {
        return new Reservation(false, id, request.account(), request.model(), null, rule, retryAt, null);
    }

    /** Remaining requests and tokens in the tightest rules, for x-ratelimit-* headers. */
    private static Reservation.Remaining remaining(List<CountedRule> rules, Response response, Instant now) {
        Long requests = null;
        Instant requestsReset = null;
        Long tokens = null;
        Instant tokensReset = null;
        long redisNow = response.get(1).toLong();
        for (int i = 0; i < rules.size(); i++) {
            CountedRule rule = rules.get(i);
            long left = Math.max(0, rule.rule().limit() - response.get(2 + i).toLong());
            Instant reset = rule.kind().equals("r") ? Instant.ofEpochMilli(redisNow).plusMillis(rule.span()) : rule.reset();
            Metric metric = rule.rule().metric();
            if (metric == Metric.REQUESTS && (requests == null || left < requests)) {
                requests = left;
                requestsReset = reset;
            } else if (metric == Metric.TOKENS && (tokens == null || left < tokens)) {
                tokens = left;
                tokensReset = reset;
            }
        }
        return requests == null && tokens == null ? Reservation.Remaining.UNKNOWN
                : new Reservation.Remaining(requests, requestsReset, tokens, tokensReset);
    }

    /** The lowest count a provider's figures allow for this rule, or -1 when none describes it. */
    private static long floor(LimitRule rule, List<ReportedRemaining> reported) {
        long floor = -1;
        for (ReportedRemaining figure : reported) {
            if (figure.describes(rule)) {
                floor = Math.max(floor, Math.max(0, rule.limit() - figure.remaining()));
            }
        }
        return floor;
    }

    private void apply(String what, String account, Settlement settlement) {
        try {
            redis.eval(LuaScript.SETTLE, settlement.keys(), settlement.args());
        } catch (QuotaUnavailableException e) {
            // The reserved estimate stays counted until its window ends and the lease frees itself: never too little.
            LOG.warnf("Quota %s of %s not applied: %s", what, account, e.getMessage());
        }
    }

    private static Ticket openTicket(Reservation reservation) {
        if (reservation == null || !(reservation.handle() instanceof Ticket)) {
            return null;
        }
        Ticket ticket = (Ticket) reservation.handle();
        return ticket.close() ? ticket : null;
    }

    private static Parking parking(String stored) {
        int space = stored.indexOf(' ');
        String until = space < 0 ? stored : stored.substring(0, space);
        return new Parking(Instant.ofEpochMilli(Long.parseLong(until)), space < 0 ? "" : stored.substring(space + 1));
    }

    /**
     * 122 random bits from SecureRandom, as 32 hex digits: unique across processes without coordination, and across
     * Lambda SnapStart restores, which clone every seed a process held at its snapshot (ThreadLocalRandom's included)
     * into each environment restored from it; SecureRandom mixes in the operating system's entropy on every call.
     * About 0.5 µs.
     */
    private static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
