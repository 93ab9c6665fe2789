package dev.freeway.status;

import dev.freeway.catalog.LimitRule;
import dev.freeway.config.Account;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.quota.QuotaStore;
import dev.freeway.quota.RuleUsage;
import dev.freeway.quota.UsageLedger;
import dev.freeway.routing.ClientScope;
import dev.freeway.routing.NamedClients;
import dev.freeway.routing.ProviderGuards;
import dev.freeway.routing.RequestMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Quota gauges read at scrape time from the same Redis counters as {@code /v1/status}, so every instance reports the
 * same figures and nothing that matters is kept between requests. A scrape reads Redis at most once per
 * {@code freeway.status.metrics-refresh} (one snapshot per account, per account and model with rules of its own, and
 * per named client with rules); scrapes in between reuse that reading.
 * <ul>
 *   <li>{@code freeway_quota_remaining{provider,account,model,metric,window}} and {@code freeway_quota_limit{...}}:
 *       each limit rule now ({@code model="*"} for account-wide rules; NaN while Redis cannot be read); a named
 *       client's own rules under {@code provider="client",account="client:<name>",model="*"}</li>
 *   <li>{@code freeway_account_parked{provider,account}}, {@code freeway_credentials_rejected{provider,account}}:
 *       1 or 0</li>
 *   <li>{@code freeway_circuit_open{provider}}: 1 while the provider's circuit breaker is open</li>
 *   <li>{@code freeway_quota_store_degraded}: 1 while the quota store's last Redis call failed</li>
 * </ul>
 * Labels carry account ids, never keys.
 */
@Singleton
public class QuotaGauges implements MeterBinder {

    /** The provider label of a named client's own rules: they are Freeway's, not a provider's. */
    static final String CLIENT = "client";

    private final Pool pool;
    private final QuotaStore store;
    private final UsageLedger ledger;
    private final ProviderGuards guards;
    private final Duration fresh;
    private final NamedClients clients;
    private final RequestMetrics metrics;
    private Map<String, Double> figures = Map.of();
    private long readAt = Long.MIN_VALUE;

    public QuotaGauges(Pool pool, QuotaStore store, UsageLedger ledger, ProviderGuards guards, StatusConfig config,
                       NamedClients clients, RequestMetrics metrics) {
        this.pool = pool;
        this.clients = clients;
        this.metrics = metrics;
        this.fresh = config.metricsRefresh();
        this.store = store;
        this.ledger = ledger;
        this.guards = guards;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ProviderPool provider : pool.all()) {
            for (Account account : provider.accounts()) {
                Tags who = Tags.of("provider", provider.name(), "account", account.id());
                for (LimitRule rule : CapacityCalculator.accountRules(provider.spec(), account)) {
                    rule(registry, who.and("model", "*"), key(account, null, rule), rule);
                }
                for (String model : provider.spec().models().keySet()) {
                    for (LimitRule rule : CapacityCalculator.modelRules(provider.spec(), account, model)) {
                        rule(registry, who.and("model", model), key(account, model, rule), rule);
                    }
                }
                String parked = account.quotaId() + " parked";
                Gauge.builder("freeway.account.parked", this, g -> g.figure(parked)).tags(who)
                        .description("1 while the whole account is parked").strongReference(true).register(registry);
                String rejected = account.quotaId() + " rejected";
                Gauge.builder("freeway.credentials.rejected", this, g -> g.figure(rejected)).tags(who)
                        .description("1 while the provider refuses the account's key").strongReference(true)
                        .register(registry);
            }
            if (!provider.accounts().isEmpty()) {
                Gauge.builder("freeway.circuit.open", guards, g -> g.isOpen(provider.name()) ? 1 : 0)
                        .tag("provider", provider.name()).description("1 while the provider's circuit is open")
                        .strongReference(true).register(registry);
            }
        }
        for (ClientScope client : clients.scopes()) {
            Tags who = Tags.of("provider", CLIENT, "account", client.quotaId(), "model", "*");
            client.rules().forEach(rule -> rule(registry, who, key(client, rule), rule));
            metrics.clientKnown(client.name());
        }
        Gauge.builder("freeway.quota.store.degraded", store, s -> s.degraded() ? 1 : 0)
                .description("1 while the quota store's last Redis call failed").strongReference(true)
                .register(registry);
    }

    private void rule(MeterRegistry registry, Tags tags, String key, LimitRule rule) {
        Tags all = tags.and("metric", rule.metric().key(), "window", window(rule));
        Gauge.builder("freeway.quota.remaining", this, g -> g.figure(key)).tags(all)
                .description("What a limit rule still admits in its current window").strongReference(true)
                .register(registry);
        Gauge.builder("freeway.quota.limit", rule, r -> r.limit()).tags(all)
                .description("A limit rule's number").strongReference(true).register(registry);
    }

    /** A figure of the latest reading, reading Redis again when it is older than the refresh interval. */
    synchronized double figure(String key) {
        long now = System.nanoTime();
        if (readAt == Long.MIN_VALUE || now - readAt >= fresh.toNanos()) {
            figures = read();
            readAt = now;
        }
        return figures.getOrDefault(key, Double.NaN);
    }

    private Map<String, Double> read() {
        PoolReading reading = new PoolReading(store, ledger);
        reading.readAhead(pool, clients.scopes());
        Map<String, Double> read = new HashMap<>();
        for (ProviderPool provider : pool.all()) {
            for (Account account : provider.accounts()) {
                reading.accountUsage(provider, account).ifPresent(usage -> put(read, account, null, usage));
                for (String model : provider.spec().models().keySet()) {
                    reading.modelUsage(provider, account, model).ifPresent(usage -> put(read, account, model, usage));
                }
                if (reading.failure().isEmpty()) {
                    Optional<QuotaStore.Parking> parked = reading.parked(account, null);
                    read.put(account.quotaId() + " parked", parked.isPresent() ? 1.0 : 0.0);
                    read.put(account.quotaId() + " rejected", parked.filter(QuotaStore.Parking::keyRefused).isPresent()
                            ? 1.0 : 0.0);
                }
            }
        }
        for (ClientScope client : clients.scopes()) {
            reading.clientUsage(client).ifPresent(usage -> usage.forEach(u ->
                    read.put(key(client, u.rule()), (double) u.remaining())));
        }
        return read;
    }

    private static void put(Map<String, Double> read, Account account, String model, List<RuleUsage> usage) {
        usage.forEach(u -> read.put(key(account, model, u.rule()), (double) u.remaining()));
    }

    private static String key(ClientScope client, LimitRule rule) {
        return client.quotaId() + " * " + rule.identity();
    }

    private static String key(Account account, String model, LimitRule rule) {
        return account.quotaId() + " " + (model == null ? "*" : model) + " " + rule.identity();
    }

    static String window(LimitRule rule) {
        return rule.window() == LimitRule.Window.ROLLING ? "rolling" + rule.rolling().toSeconds() + "s"
                : rule.window().key();
    }
}
