package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The quota store on Redis: every decision is one Lua script on the keys of one account. A served call costs two
 * round trips: reserve before the provider call, and its end (settle with the ledger, parking and any
 * provider-reported figures) after it.
 *
 * <p>A reservation Freeway gave up on changes nothing, whenever its script finally runs: each reserve carries an id
 * and a deadline in Redis time; giving up sends a give-up for that id (again until Redis takes it), which undoes the
 * reservation if it ran and otherwise leaves a tombstone that a late reserve checks first; a reserve running after
 * its deadline writes nothing.
 *
 * <p>Redis failures: {@link #reserve} and {@link #parked} follow {@code freeway.quota.redis-failure-mode}; the ends
 * of reservations never throw, because the provider call they follow has already happened: they are sent again
 * until Redis takes them.
 */
@ApplicationScoped
public class RedisQuotaStore implements QuotaStore {

    private static final Logger LOG = Logger.getLogger(RedisQuotaStore.class);
    /** Longest parking kept: a month window is at most 31 days, and the provider's next refusal parks again. */
    private static final Duration LONGEST_PARKING = Duration.ofDays(32);
    /** Extra life of a window key after its window, on top of the lease, for late settlements. */
    private static final Duration SETTLE_GRACE = Duration.ofMinutes(1);

    private final RedisScripts redis;
    private final UsageLedger ledger;
    private final RedisFailureMode failureMode;
    private final Duration lease;
    private final Duration margin;
    private final Clock clock;
    private final RedisTime redisTime;
    private final PendingEnds pending;
    private final Keeping log;

    /** How many recent requests an account keeps, and for how long. */
    public record Keeping(int keep, Duration keepFor) {
        static final Keeping DEFAULT = new Keeping(500, Duration.ofDays(2));
    }

    @Inject
    public RedisQuotaStore(RedisScripts redis, UsageLedger ledger, QuotaConfig config, RequestLogConfig requests,
                           Clock clock) {
        this(redis, ledger, config.redisFailureMode(), Duration.ofSeconds(config.leaseSeconds()), clock,
                new Keeping(requests.keep(), requests.keepFor()));
    }

    public RedisQuotaStore(RedisScripts redis, UsageLedger ledger, RedisFailureMode failureMode, Duration lease,
                           Clock clock) {
        this(redis, ledger, failureMode, lease, clock, Keeping.DEFAULT);
    }

    public RedisQuotaStore(RedisScripts redis, UsageLedger ledger, RedisFailureMode failureMode, Duration lease,
                           Clock clock, Keeping log) {
        this.redis = redis;
        this.ledger = ledger;
        this.failureMode = failureMode;
        this.lease = lease;
        this.margin = lease.plus(SETTLE_GRACE);
        this.clock = clock;
        this.redisTime = new RedisTime(redis.longestWait());
        this.pending = new PendingEnds(redis, clock);
        this.log = log;
    }

    @PreDestroy
    void close() {
        pending.close();
    }

    @Override
    public Reservation reserve(QuotaRequest request, CreditPrice price) {
        CompletableFuture<Reservation> reservation = reserveAsync(request, price);
        try {
            return reservation.get();
        } catch (ExecutionException e) {
            throw RedisScripts.unwrapped(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the request is being abandoned: a reservation Redis grants after all ends unused
            reservation.thenAccept(granted -> {
                if (granted.admitted()) {
                    granted.admission().released();
                }
            });
            throw new QuotaUnavailableException("quota store unavailable: the request was abandoned while Redis"
                    + " decided its reservation", e);
        }
    }

    /**
     * {@link #reserve} without blocking: the reservation once Redis decided, or the {@link
     * QuotaUnavailableException} it would throw.
     */
    @Override
    public CompletableFuture<Reservation> reserveAsync(QuotaRequest request, CreditPrice price) {
        if (request.model() == null || request.model().isEmpty()) {
            throw new IllegalArgumentException("a reservation needs a model");
        }
        Instant now = clock.instant();
        String id = newId();
        // Decided without Redis: a call larger than a rule's whole limit even at its least output, or a grant past
        // its last day, never fits.
        List<CountedRule> least = plan(request, price, now, request.leastPerChoice());
        for (CountedRule rule : least) {
            boolean over = CountedRule.grantOver(rule.rule(), request.zone(), now);
            if (rule.amount() > rule.rule().limit() || over) {
                return CompletableFuture.completedFuture(denied(request, id, new Reservation.Denial(
                        Refusal.NEVER_FITS, rule.rule().identity(), null, null, over ? 0 : rule.amount(),
                        rule.rule().limit())));
            }
        }
        // Credits are priced at the wanted output, whatever is granted: never too little.
        List<CountedRule> wanted = plan(request, price, now, request.perChoice());
        Ticket first = new Ticket(request.account(), request.model(), request.zone(), id, wanted, price,
                redisTime.deadline(now));
        AtomicReference<Ticket> sent = new AtomicReference<>(first);
        return send(first, request).thenCompose(response -> {
            if (response.get(0).toInteger() != -1) {
                return CompletableFuture.completedFuture(response);
            }
            // It ran past its deadline and wrote nothing: this process's idea of Redis time was off; it is not now.
            Ticket again = new Ticket(first.account(), first.model(), first.zone(), id, wanted, price,
                    redisTime.deadline(clock.instant()));
            sent.set(again);
            return send(again, request).thenApply(late -> {
                if (late.get(0).toInteger() == -1) {
                    throw new QuotaUnavailableException("quota store unavailable: Redis ran reservation " + id
                            + " after its deadline twice", null);
                }
                return late;
            });
        }).handle((response, failure) -> {
            if (failure == null) {
                return decided(request, sent.get(), least, response, now);
            }
            if (!(RedisScripts.unwrapped(failure) instanceof QuotaUnavailableException unavailable)) {
                throw RedisScripts.unwrapped(failure);
            }
            giveUp(sent.get());
            if (failureMode == RedisFailureMode.FAIL_OPEN) {
                return new Reservation(true, id, request.account(), request.model(), Admission.uncounted(), null,
                        Reservation.Remaining.UNKNOWN, request.perChoice());
            }
            throw unavailable;
        });
    }

    /** What Redis decided for a reservation that ran in time: admitted with what it granted, or denied. */
    private Reservation decided(QuotaRequest request, Ticket ticket, List<CountedRule> least, Response response,
                                Instant now) {
        if (response.get(0).toInteger() == 0) {
            return denial(request, ticket.id(), least, response);
        }
        long granted = response.get(2).toLong();
        Ticket counted = new Ticket(ticket.account(), ticket.model(), ticket.zone(), ticket.id(),
                granted(request, ticket.rules(), granted), ticket.price(), ticket.deadline());
        return new Reservation(true, ticket.id(), request.account(), request.model(), new Admission(this, counted),
                null, remaining(counted.rules(), response, now), granted);
    }

    /** The rules with what they count at the granted output (the rules that do not grow keep their amount). */
    private static List<CountedRule> granted(QuotaRequest request, List<CountedRule> rules, long perChoice) {
        return rules.stream().map(rule -> rule.grows() ? rule.withAmount(CountedRule.amount(rule.rule().metric(),
                request.inputTokens(), request.output(perChoice), CreditPrice.NONE)) : rule).toList();
    }

    /** One reserve round trip; what it learns of Redis's clock sets the next deadlines. */
    private CompletableFuture<Response> send(Ticket ticket, QuotaRequest request) {
        Instant sent = clock.instant();
        return redis.evalAsync(LuaScript.RESERVE, reserveKeys(ticket), reserveArgs(ticket, request))
                .thenApply(response -> {
                    int code = response.get(0).toInteger();
                    redisTime.observe(response.get(code == 0 ? 3 : 1).toLong(), sent, clock.instant());
                    if (code == -2) {
                        throw new QuotaUnavailableException("quota store unavailable: reservation " + ticket.id()
                                + " was given up on before Redis ran it", null);
                    }
                    return response;
                });
    }

    /** Freeway stopped waiting for this reserve: make sure it changes nothing, now or whenever it runs. */
    private void giveUp(Ticket ticket) {
        Settlement cancel = new Settlement(ticket.account(), ticket.id(), Settlement.Mode.CANCEL)
                .tombstoneUntil(RedisTime.tombstoneUntil(ticket.deadline()));
        for (CountedRule rule : ticket.rules()) {
            cancel.rule(rule, rule.amount(), 0, -1);
        }
        pending.send(cancel, clock.instant().plus(margin));
    }

    CompletableFuture<Void> served(Ticket ticket, Spent spent, List<ReportedRemaining> reported, Trail trail) {
        Instant now = clock.instant();
        Settlement settlement = new Settlement(ticket.account(), ticket.id(), Settlement.Mode.END)
                .ledger(ledger.write(ticket.account(), ticket.model(), UsageCounts.served(spent), now));
        if (trail != null) {
            java.time.LocalDate day = now.atZone(java.time.ZoneOffset.UTC).toLocalDate();
            settlement.histogram(LatencyHistogram.key(ticket.account(), day),
                    LatencyHistogram.field(ticket.model(), trail.latency()),
                    day.plusDays(1 + ledger.keepDays()).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli());
            if (trail.entry() != null) {
                settlement.recent(QuotaKeys.recent(ticket.account()), log.keep(), trail.entry(),
                        log.keepFor().toMillis());
            }
            if (trail.client() != null) {
                ledger.client(settlement, ticket.account(), trail.client(), ticket.model(), spent, now);
            }
            if (trail.average() != null) {
                settlement.average(trail.average().key(), trail.average().sample(), trail.average().keep().toMillis());
            }
        }
        return end(corrected(settlement, ticket, true, spent, reported));
    }

    /**
     * A running call's reservation lives on for another lease (see keep-alive.lua); a failure only logs.
     *
     * @return whether Redis took it
     */
    boolean keepAlive(Ticket ticket) {
        List<String> keys = new ArrayList<>();
        keys.add(ticket.marker());
        ticket.rules().stream().filter(rule -> "l".equals(rule.kind())).forEach(rule -> keys.add(rule.key()));
        try {
            // a lease set lives a lease and a margin after its newest lease, as CountedRule gives it
            redis.eval(LuaScript.KEEP_ALIVE, keys, List.of(Long.toString(margin.toMillis()),
                    Long.toString(lease.toMillis()), ticket.id(), Long.toString(lease.plus(margin).toMillis())));
            return true;
        } catch (QuotaUnavailableException e) {
            LOG.debugf("Reservation %s not kept alive: %s", ticket.id(), e.getMessage());
            return false;
        }
    }

    /** How often a running call's reservation is kept alive, in nanoseconds: twice a lease. */
    long keepAliveEveryNanos() {
        return lease.toNanos() / 2;
    }

    /** A client's own reservation ends: its rules count what the request used; its figures are the account's. */
    CompletableFuture<Void> used(Ticket ticket, Spent spent) {
        return end(corrected(new Settlement(ticket.account(), ticket.id(), Settlement.Mode.END), ticket, true, spent,
                List.of()));
    }

    /**
     * Each rule corrected from what the reservation counted to what the call used ({@code counts}) or to nothing. A
     * provider's remaining figure floors the window it was read in: a call that ran past the end of its window
     * corrects the window it was counted in, and the figure goes to the window of now, after every rule the
     * reservation counted (settle.lua reads what the reserve counted by the rule's place).
     */
    private Settlement corrected(Settlement settlement, Ticket ticket, boolean counts, Spent spent,
                                 List<ReportedRemaining> reported) {
        Instant now = clock.instant();
        List<Runnable> floorsOfNow = new ArrayList<>();
        for (CountedRule rule : ticket.rules()) {
            long actual = counts ? CountedRule.amount(rule.rule().metric(), spent.inputTokens(),
                    spent.outputTokens(), ticket.price()) : 0;
            long floor = floor(rule.rule(), reported);
            if (floor >= 0 && rule.reset() != null && !now.isBefore(rule.reset())) {
                CountedRule current = CountedRule.of(rule.rule(), ticket.account(), ticket.model(), ticket.zone(),
                        now, 0, margin, lease);
                floorsOfNow.add(() -> settlement.rule(current, 0, 0, floor));
                settlement.rule(rule, rule.amount(), actual, -1);
            } else {
                settlement.rule(rule, rule.amount(), actual, floor);
            }
        }
        floorsOfNow.forEach(Runnable::run);
        return settlement;
    }

    CompletableFuture<Void> failed(Ticket ticket, Admission.Failure failure) {
        UsageCounts counts = failure.movedOn() ? UsageCounts.fallback() : UsageCounts.error();
        if (failure.counted()) {
            counts = counts.plus(UsageCounts.served(failure.spent())); // the provider may have counted it: so does the ledger
        }
        Settlement settlement = new Settlement(ticket.account(), ticket.id(), Settlement.Mode.END)
                .ledger(ledger.write(ticket.account(), ticket.model(), counts, clock.instant()));
        corrected(settlement, ticket, failure.counted(), failure.spent(), failure.reported());
        QuotaStore.Parking parking = kept(failure.parking());
        if (parking != null) {
            settlement.park(QuotaKeys.parking(ticket.account(), failure.wholeAccount() ? null : ticket.model()),
                    parking);
            LOG.infof("Parked %s%s until %s (%s): %s", ticket.account(), failure.wholeAccount() ? "" : " "
                    + ticket.model(), parking.until(), parking.kind().key(), parking.reason());
        }
        return end(settlement);
    }

    CompletableFuture<Void> released(Ticket ticket) {
        Settlement settlement = new Settlement(ticket.account(), ticket.id(), Settlement.Mode.END);
        for (CountedRule rule : ticket.rules()) {
            settlement.rule(rule, rule.amount(), 0, -1);
        }
        return end(settlement);
    }

    @Override
    public void correct(String account, String model, List<LimitRule> rules, ZoneId zone,
                        List<ReportedRemaining> reported) {
        Settlement settlement = new Settlement(account, "none", Settlement.Mode.FIGURES);
        QuotaRequest scope = new QuotaRequest(account, model, rules, zone, 0, 0);
        for (CountedRule rule : plan(scope, CreditPrice.NONE, clock.instant(), 0)) {
            long floor = floor(rule.rule(), reported);
            if (floor >= 0 && !rule.kind().equals("l")) {
                settlement.rule(rule, 0, 0, floor);
            }
        }
        if (!settlement.isEmpty()) {
            end(settlement).join();
        }
    }

    @Override
    public void park(String account, String model, QuotaStore.Parking parking) {
        QuotaStore.Parking kept = kept(parking);
        if (kept == null) {
            return;
        }
        List<String> args = List.of(Long.toString(kept.until().toEpochMilli()), ParkingText.stored(kept));
        try {
            redis.eval(LuaScript.PARK, List.of(QuotaKeys.parking(account, model)), args);
        } catch (QuotaUnavailableException e) {
            LOG.warnf("Parking of %s %s not stored: %s", account, model == null ? "" : model, e.getMessage());
        }
    }

    @Override
    public Optional<Parking> parked(String account, String model) {
        return parkedEach(List.of(new Parked(account, model))).get(0);
    }

    @Override
    public List<Optional<Parking>> parkedEach(List<Parked> asked) {
        List<Request> gets = new ArrayList<>(asked.size());
        for (Parked place : asked) {
            Request get = Request.cmd(Command.MGET).arg(QuotaKeys.parking(place.account(), null));
            gets.add(place.model() == null ? get : get.arg(QuotaKeys.parking(place.account(), place.model())));
        }
        List<Response> values;
        try {
            values = redis.sendEach(gets);
        } catch (QuotaUnavailableException e) {
            if (failureMode == RedisFailureMode.FAIL_OPEN) {
                return asked.stream().map(a -> Optional.<Parking>empty()).toList();
            }
            throw e;
        }
        Instant now = clock.instant();
        return values.stream().map(value -> latest(value, now)).toList();
    }

    /** The later of the parkings an MGET found, while it lasts. */
    private static Optional<Parking> latest(Response values, Instant now) {
        Parking latest = null;
        for (int i = 0; i < values.size(); i++) {
            Response value = values.get(i);
            Parking parking = value == null ? null : ParkingText.read(value.toString());
            if (parking != null && (latest == null || parking.until().isAfter(latest.until()))) {
                latest = parking;
            }
        }
        return Optional.ofNullable(latest).filter(p -> p.until().isAfter(now));
    }

    @Override
    public List<RuleUsage> snapshot(String account, String model, List<LimitRule> rules, ZoneId zone) {
        return snapshotEach(List.of(new Snapshot(account, model, rules, zone))).get(0);
    }

    @Override
    public List<List<RuleUsage>> snapshotEach(List<Snapshot> asked) {
        return snapshots(asked, false).stream().map(Standing::usage).toList();
    }

    @Override
    public List<Standing> standingEach(List<Snapshot> asked) {
        return snapshots(asked, true);
    }

    /** Each snapshot, with the latency average read in the same script when asked for; no call for nothing. */
    private List<Standing> snapshots(List<Snapshot> asked, boolean latency) {
        Instant now = clock.instant();
        List<List<CountedRule>> counted = new ArrayList<>(asked.size());
        List<RedisScripts.Call> calls = new ArrayList<>(asked.size());
        for (Snapshot snapshot : asked) {
            List<CountedRule> rules = plan(new QuotaRequest(snapshot.account(), snapshot.model(), snapshot.rules(),
                    snapshot.zone(), 0, 0), CreditPrice.NONE, now, 0);
            counted.add(rules);
            if (!rules.isEmpty() || latency) {
                calls.add(snapshotCall(rules, latency ? QuotaKeys.latency(snapshot.account(), snapshot.model())
                        : null));
            }
        }
        Iterator<Response> answers = redis.evalEach(calls).iterator();
        List<Standing> standings = new ArrayList<>(asked.size());
        for (List<CountedRule> rules : counted) {
            if (rules.isEmpty() && !latency) {
                standings.add(new Standing(List.of(), Optional.empty()));
                continue;
            }
            Response answer = answers.next();
            standings.add(new Standing(usage(rules, answer), latency ? average(answer.get(rules.size()))
                    : Optional.empty()));
        }
        return standings;
    }

    /** The snapshot script on the rules' keys, and on a latency average's key (kind {@code v}) when given. */
    private static RedisScripts.Call snapshotCall(List<CountedRule> counted, String latencyKey) {
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        for (CountedRule rule : counted) {
            keys.add(rule.key());
            args.add(rule.kind());
            args.add(Long.toString(rule.span()));
        }
        if (latencyKey != null) {
            keys.add(latencyKey);
            args.add("v");
            args.add("0");
        }
        return new RedisScripts.Call(LuaScript.SNAPSHOT, keys, args);
    }

    /** A stored moving average ({@link SharedState#average}); empty when unset or not a number. */
    private static Optional<Double> average(Response value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Double.parseDouble(value.toString()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<RuleUsage> usage(List<CountedRule> counted, Response used) {
        List<RuleUsage> usage = new ArrayList<>(counted.size());
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

    /** Ends of reservations still waiting for Redis to take them. */
    public int pendingEnds() {
        return pending.waiting();
    }

    /**
     * Rules by key. Two rules with one key count the same thing (an account's rule replacing the catalog's has the
     * catalog rule's identity); the later one wins, and counting both would count the call twice.
     */
    private List<CountedRule> plan(QuotaRequest request, CreditPrice price, Instant now, long perChoice) {
        Map<String, CountedRule> rules = new LinkedHashMap<>();
        for (LimitRule rule : request.rules()) {
            long amount = CountedRule.amount(rule.metric(), request.inputTokens(), request.output(perChoice), price);
            CountedRule counted = CountedRule.of(rule, request.account(), request.model(), request.zone(), now, amount,
                    margin, lease);
            rules.remove(counted.key());
            rules.put(counted.key(), counted);
        }
        return new ArrayList<>(rules.values());
    }

    private static List<String> reserveKeys(Ticket ticket) {
        List<String> keys = new ArrayList<>(ticket.rules().size() + 3);
        keys.add(QuotaKeys.parking(ticket.account(), null));
        keys.add(QuotaKeys.parking(ticket.account(), ticket.model()));
        keys.add(ticket.marker());
        ticket.rules().forEach(rule -> keys.add(rule.key()));
        return keys;
    }

    private List<String> reserveArgs(Ticket ticket, QuotaRequest request) {
        List<String> args = new ArrayList<>(ticket.rules().size() * 6 + 7);
        args.add(Integer.toString(ticket.rules().size()));
        args.add(ticket.id());
        args.add(Long.toString(ticket.deadline()));
        args.add(Long.toString(margin.toMillis()));
        args.add(Long.toString(Math.min(request.perChoice(), LimitRule.LARGEST_LIMIT)));
        args.add(Long.toString(Math.min(request.leastPerChoice(), LimitRule.LARGEST_LIMIT)));
        args.add(Long.toString(Math.min(request.choices(), LimitRule.LARGEST_LIMIT)));
        for (CountedRule rule : ticket.rules()) {
            // a rule that grows with the output is sent what it counts without it; the script adds the grant
            long base = rule.grows() ? CountedRule.amount(rule.rule().metric(), request.inputTokens(), 0,
                    CreditPrice.NONE) : rule.amount();
            args.add(rule.kind());
            args.add(Long.toString(base));
            args.add(Long.toString(rule.rule().limit()));
            args.add(Long.toString(rule.expiry()));
            args.add(Long.toString(rule.span()));
            args.add(rule.grows() ? "1" : "0");
        }
        return args;
    }

    private Reservation denial(QuotaRequest request, String id, List<CountedRule> rules, Response response) {
        int index = response.get(1).toInteger();
        if (index == 0) {
            Parking parking = ParkingText.read(response.get(2).toString());
            return denied(request, id, new Reservation.Denial(Refusal.PARKED, "parked: " + parking.reason(),
                    parking.until(), parking, 0, 0));
        }
        CountedRule rule = rules.get(index - 1);
        long retry = response.get(2).toLong();
        Instant retryAt = retry > 0 ? Instant.ofEpochMilli(retry) : rule.reset();
        if ("l".equals(rule.kind())) {
            // a lease's expiry is the latest its call can end, not when it will: a slot usually frees in seconds
            Instant soon = clock.instant().plus(SLOT_SOON);
            retryAt = retryAt == null || retryAt.isAfter(soon) ? soon : retryAt;
        }
        return denied(request, id, new Reservation.Denial(Refusal.NO_ROOM, rule.rule().identity(), retryAt, null,
                rule.amount(), rule.rule().limit()));
    }

    /** When a full concurrency limit is worth asking again: its calls' ends are not known ahead. */
    static final java.time.Duration SLOT_SOON = java.time.Duration.ofSeconds(2);

    private static Reservation denied(QuotaRequest request, String id, Reservation.Denial denial) {
        return new Reservation(false, id, request.account(), request.model(), null, denial, null, 0);
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
            long left = Math.max(0, rule.rule().limit() - response.get(3 + i).toLong());
            Instant reset = rule.kind().equals("r") ? Instant.ofEpochMilli(redisNow).plusMillis(rule.span()) : rule.reset();
            LimitRule.Metric metric = rule.rule().metric();
            if (metric == LimitRule.Metric.REQUESTS && (requests == null || left < requests)) {
                requests = left;
                requestsReset = reset;
            } else if (metric == LimitRule.Metric.TOKENS && (tokens == null || left < tokens)) {
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

    /** A parking as it is kept: only future ones, at most {@link #LONGEST_PARKING}; null for none. */
    private QuotaStore.Parking kept(QuotaStore.Parking parking) {
        Instant now = clock.instant();
        if (parking == null || parking.until() == null || !parking.until().isAfter(now)) {
            return null;
        }
        Instant longest = now.plus(LONGEST_PARKING);
        return parking.until().isAfter(longest)
                ? new QuotaStore.Parking(longest, parking.reason(), parking.kind()) : parking;
    }

    /** Applies an end; done once Redis took it, or once it waits to be sent again. Never fails. */
    private CompletableFuture<Void> end(Settlement settlement) {
        return redis.evalAsync(LuaScript.SETTLE, settlement.keys(), settlement.args()).handle((answer, failure) -> {
            if (failure != null) {
                // The reserved estimate stays counted until Redis takes this end (it is sent again) or the lease
                // and the window expire: never too little.
                LOG.warnf("Quota %s of %s not applied yet, sent again until Redis takes it: %s", settlement.what(),
                        settlement.account(), RedisScripts.unwrapped(failure).getMessage());
                pending.send(settlement, clock.instant().plus(margin));
            }
            return null;
        });
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
