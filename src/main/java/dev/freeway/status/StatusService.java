package dev.freeway.status;

import dev.freeway.cache.CacheConfig;
import dev.freeway.cache.CacheScopes;
import dev.freeway.cache.ResponseCache;
import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.config.Account;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.demo.DemoProviders;
import dev.freeway.quota.LatencyHistogram;
import dev.freeway.quota.QuotaConfig;
import dev.freeway.quota.QuotaStore;
import dev.freeway.quota.RequestLog;
import dev.freeway.quota.RequestLogConfig;
import dev.freeway.quota.RuleUsage;
import dev.freeway.quota.UsageCounts;
import dev.freeway.quota.UsageLedger;
import dev.freeway.routing.CandidatePlanner;
import dev.freeway.routing.NamedClients;
import dev.freeway.routing.ProviderGuards;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the status report: per provider, account and limit rule what is used and left, parkings, circuits and
 * refused keys; the pool's daily capacity against today's use; each task's chain now; usage over a range (served,
 * calls counted, latency) and the requests clients were refused in it, and why; what the tokens served are worth at
 * list prices; what the response cache answered and saved today; and each named client's rules and figures. The
 * dashboard adds the recent requests. Every figure comes from Redis at the time of the call, so any instance
 * answers the same.
 */
@ApplicationScoped
public class StatusService {


    private final Pool pool;
    private final QuotaStore store;
    private final UsageLedger ledger;
    private final LatencyHistogram latency;
    private final RequestLog requestLog;
    private final int recentShown;
    private final ProviderGuards guards;
    private final RoutingView routing;
    private final List<String> fallbackChain;
    private final Clock clock;
    private final long typicalInput;
    private final long typicalOutput;
    private final ResponseCache cache;
    private final CacheScopes cacheScopes;
    private final CacheConfig cacheConfig;
    private final NamedClients clients;

    public StatusService(Pool pool, QuotaStore store, UsageLedger ledger, LatencyHistogram latency,
                         ProviderGuards guards, CandidatePlanner planner, QuotaConfig quota,
                         StatusConfig status, Clock clock, RequestLog requestLog, RequestLogConfig requests,
                         ResponseCache cache, CacheScopes cacheScopes, CacheConfig cacheConfig,
                         NamedClients clients) {
        this.clients = clients;
        this.cache = cache;
        this.cacheScopes = cacheScopes;
        this.cacheConfig = cacheConfig;
        this.latency = latency;
        this.requestLog = requestLog;
        this.recentShown = requests.keep();
        this.pool = pool;
        this.store = store;
        this.ledger = ledger;
        this.guards = guards;
        this.routing = new RoutingView(pool, planner, quota.defaultMaxOutputTokens(), guards::circuitState);
        this.fallbackChain = pool.routing().fallbackChain();
        this.clock = clock;
        this.typicalInput = status.typicalRequestInputTokens();
        this.typicalOutput = status.typicalRequestOutputTokens();
    }

    /** What the pool's limit rules admit per day and month, and how the named clients divide it; no Redis call. */
    public Capacity.Report capacity() {
        return new CapacityCalculator(clock, typicalInput, typicalOutput).pool(pool, clients.scopes());
    }

    /**
     * The report over a range, formatted for the dashboard on one time axis in {@code zone}, with the newest
     * {@code freeway.requests.keep} recent requests.
     */
    public DashboardView dashboard(boolean adminOpen, UsageRange range, ZoneId zone) {
        PoolReading reading = new PoolReading(store, ledger);
        StatusReport report = report(range, zone, reading);
        List<String> accounts = pool.all().stream().flatMap(p -> p.accounts().stream()).map(Account::quotaId).toList();
        List<RecentRequests.Row> recent = RecentRequests.rows(reading.recent(requestLog, accounts, recentShown), zone);
        return DashboardView.of(report, adminOpen, recent);
    }

    /** The report, with usage over {@code range} cut into hours or days of {@code zone}. */
    public StatusReport report(UsageRange range, ZoneId zone) {
        return report(range, zone, new PoolReading(store, ledger));
    }

    private StatusReport report(UsageRange range, ZoneId zone, PoolReading reading) {
        Instant now = clock.instant();
        readAhead(range, zone, reading, now);
        Capacity.Report capacity = capacity();
        List<StatusReport.ProviderStatus> providers = new ArrayList<>();
        List<StatusReport.ProviderValue> values = new ArrayList<>();
        for (Capacity.ProviderCapacity providerCapacity : capacity.providers()) {
            ProviderPool provider = pool.provider(providerCapacity.name()).orElseThrow();
            ProviderLedger used = ProviderLedger.read(provider, reading, now);
            providers.add(provider(provider, providerCapacity, used, reading));
            values.add(ValueView.provider(provider, used));
        }
        StatusReport.Routing routes = routing.routing(reading, fallbackChain);
        UsageReport usage = UsageView.of(pool, reading, latency, range, zone, now);
        RefusalReport refusals = RefusalView.of(pool, reading, requestLog, range, zone, now);
        StatusReport.CacheReport cached = CacheView.today(cache, cacheScopes, pool, cacheConfig.enabled(),
                cacheConfig.shared(), zone, now, reading);
        List<ClientReport> named = ClientView.of(clients.scopes(), pool, reading, range, zone, now);
        return new StatusReport(Times.at(now, ZoneOffset.UTC), store.degraded(),
                reading.failure().map(f -> "unreachable: " + f).orElse("ok"), DailySummary.total(providers),
                List.copyOf(providers), routes, ValueView.total(values), usage, refusals, cached, named);
    }

    /** What the report will ask of every account, fetched in a few round trips whatever the pool's size. */
    private void readAhead(UsageRange range, ZoneId zone, PoolReading reading, Instant now) {
        reading.readAhead(pool, clients.scopes());
        List<UsageLedger.Rows> rows = new ArrayList<>(UsageView.ledgerAsked(pool, range, zone, now));
        pool.all().forEach(provider -> rows.addAll(ProviderLedger.asked(provider, now)));
        reading.readAhead(rows);
        reading.readClientsAhead(ClientView.asked(clients.scopes(), pool, range, zone, now));
        reading.readAhead(latency, UsageView.latencyAsked(pool, range, zone, now));
    }

    private StatusReport.ProviderStatus provider(ProviderPool provider, Capacity.ProviderCapacity capacity,
                                                 ProviderLedger used, PoolReading reading) {
        List<StatusReport.AccountStatus> accounts = new ArrayList<>();
        for (Account account : provider.accounts()) {
            accounts.add(account(provider, account, reading));
        }
        StatusReport.Summary summary = DailySummary.provider(provider, capacity, used.todayByModel());
        return new StatusReport.ProviderStatus(provider.name(), provider.spec().displayName(),
                DemoProviders.isDemo(provider),
                provider.spec().resetZone().getId(), circuit(provider.name()), summary, List.copyOf(accounts),
                used.hours());
    }

    private String circuit(String provider) {
        try {
            return guards.circuitState(provider);
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static StatusReport.AccountStatus account(ProviderPool provider, Account account, PoolReading reading) {
        ZoneId zone = provider.spec().resetZone();
        Optional<QuotaStore.Parking> own = reading.parked(account, null);
        boolean rejected = own.map(QuotaStore.Parking::keyRefused).orElse(false);
        List<StatusReport.RuleStatus> shared = rules(CapacityCalculator.accountRules(provider.spec(), account),
                reading.accountUsage(provider, account), zone);
        List<StatusReport.ModelStatus> models = new ArrayList<>();
        for (String model : provider.spec().models().keySet()) {
            List<LimitRule> rules = CapacityCalculator.modelRules(provider.spec(), account, model);
            Optional<QuotaStore.Parking> parked = reading.parked(account, model).filter(p -> !p.equals(own.orElse(null)));
            if (rules.isEmpty() && parked.isEmpty()) {
                continue;
            }
            models.add(new StatusReport.ModelStatus(model, parked.map(p -> parked(p, zone)).orElse(null),
                    rules(rules, reading.modelUsage(provider, account, model), zone)));
        }
        return new StatusReport.AccountStatus(account.id(), rejected ? "rejected" : "ok",
                own.map(p -> parked(p, zone)).orElse(null), shared, List.copyOf(models));
    }

    private static StatusReport.Parked parked(QuotaStore.Parking parking, ZoneId zone) {
        return new StatusReport.Parked(Times.at(parking.until(), zone), parking.reason());
    }

    /** Rules with their usage; with usage unknown (Redis unreachable), the rules alone. */
    static List<StatusReport.RuleStatus> rules(List<LimitRule> rules, Optional<List<RuleUsage>> usage,
                                                       ZoneId zone) {
        if (usage.isPresent()) {
            return usage.get().stream().map(u -> rule(u.rule(), u, zone)).toList();
        }
        return rules.stream().map(r -> rule(r, null, zone)).toList();
    }

    private static StatusReport.RuleStatus rule(LimitRule rule, RuleUsage usage, ZoneId zone) {
        String window = rule.metric() == LimitRule.Metric.CONCURRENT_REQUESTS ? "concurrent"
                : rule.window() == LimitRule.Window.ROLLING ? "rolling " + rule.rolling().toSeconds() + "s"
                : rule.window().key();
        Long used = usage == null ? null : usage.used();
        return new StatusReport.RuleStatus(rule.metric().key(), window, rule.limit(), used,
                usage == null ? null : usage.remaining(), used == null ? null : Times.percent(used, rule.limit()),
                usage == null ? null : Times.at(usage.resetsAt(), zone),
                rule.expires() == null ? null : rule.expires().toString());
    }

    /** List-price value of what was served: input and output tokens each at their own price. */
    static final class ValueView {

        private ValueView() {
        }

        static StatusReport.ProviderValue provider(ProviderPool provider, ProviderLedger used) {
            List<StatusReport.ModelValue> models = new ArrayList<>();
            double today = 0;
            double month = 0;
            for (Map.Entry<String, UsageCounts> entry : used.monthByModel().entrySet()) {
                String model = entry.getKey();
                UsageCounts monthCounts = entry.getValue();
                UsageCounts todayCounts = used.todayByModel().getOrDefault(model, UsageCounts.NONE);
                ModelSpec.Price price = provider.spec().model(model).map(ModelSpec::price).orElse(null);
                if (price == null) {
                    models.add(new StatusReport.ModelValue(model, ProviderLedger.counts(todayCounts),
                            ProviderLedger.counts(monthCounts), null, null, null, "no list price in the catalog"));
                    continue;
                }
                double valueToday = worth(todayCounts, price);
                double valueMonth = worth(monthCounts, price);
                today += valueToday;
                month += valueMonth;
                models.add(new StatusReport.ModelValue(model, ProviderLedger.counts(todayCounts),
                        ProviderLedger.counts(monthCounts), new StatusReport.Price(price.inputPerMillion(),
                        price.outputPerMillion(), price.asOf()), valueToday, valueMonth, null));
            }
            return new StatusReport.ProviderValue(provider.name(), today, month, List.copyOf(models));
        }

        static StatusReport.Value total(List<StatusReport.ProviderValue> providers) {
            double today = 0;
            double month = 0;
            List<String> unpriced = new ArrayList<>();
            for (StatusReport.ProviderValue provider : providers) {
                today += provider.today();
                month += provider.month();
                provider.models().stream().filter(m -> m.price() == null)
                        .forEach(m -> unpriced.add(provider.name() + "/" + m.model()));
            }
            return new StatusReport.Value("USD", today, month, List.copyOf(providers), List.copyOf(unpriced));
        }

        static double worth(UsageCounts counts, ModelSpec.Price price) {
            return (counts.inputTokens() * price.inputPerMillion() + counts.outputTokens() * price.outputPerMillion())
                    / 1_000_000.0;
        }
    }
}
