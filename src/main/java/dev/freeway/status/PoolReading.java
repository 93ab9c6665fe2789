package dev.freeway.status;

import dev.freeway.config.Account;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.quota.ClientUsage;
import dev.freeway.quota.HourlyUsage;
import dev.freeway.quota.LatencyHistogram;
import dev.freeway.quota.QuotaStore;
import dev.freeway.quota.QuotaUnavailableException;
import dev.freeway.quota.RequestLog;
import dev.freeway.quota.RuleUsage;
import dev.freeway.quota.UsageLedger;
import dev.freeway.routing.ClientScope;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One read of the pool's counters for a status report: each snapshot (one per account, and one per account and
 * model with model-scoped rules), parking, ledger range, client figures and latency range is fetched once and
 * remembered. The
 * {@code readAhead} calls fetch what a whole page will ask for in a few round trips, however many accounts and models
 * the pool has; what they did not fetch is read when asked. After the first Redis failure nothing more is asked, so
 * a status page over an unreachable Redis costs one timeout, not hundreds.
 */
final class PoolReading {

    private final QuotaStore store;
    private final UsageLedger ledger;
    // each read is remembered under what it asked
    private final Map<QuotaStore.Snapshot, Optional<List<RuleUsage>>> snapshots = new HashMap<>();
    private final Map<QuotaStore.Parked, Optional<QuotaStore.Parking>> parkings = new HashMap<>();
    private final Map<UsageLedger.Rows, List<HourlyUsage>> ledgers = new HashMap<>();
    private final Map<UsageLedger.Rows, List<ClientUsage>> clientFigures = new HashMap<>();
    private final Map<LatencyHistogram.Days, Map<Long, Long>> latencies = new HashMap<>();
    private String failure;

    PoolReading(QuotaStore store, UsageLedger ledger) {
        this.store = store;
        this.ledger = ledger;
    }

    /**
     * Fetches every account's, model's and named client's usage, and every account's and model's parking, in two
     * round trips (snapshots, then parkings), for a page that shows them all.
     */
    void readAhead(Pool pool, List<ClientScope> clients) {
        List<QuotaStore.Snapshot> asked = new ArrayList<>();
        List<QuotaStore.Parked> parked = new ArrayList<>();
        for (ProviderPool provider : pool.all()) {
            for (Account account : provider.accounts()) {
                asked.add(accountSnapshot(provider, account));
                parked.add(new QuotaStore.Parked(account.quotaId(), null));
                for (String model : provider.spec().models().keySet()) {
                    asked.add(modelSnapshot(provider, account, model));
                    parked.add(new QuotaStore.Parked(account.quotaId(), model));
                }
            }
        }
        clients.forEach(client -> asked.add(clientSnapshot(client)));
        ahead(snapshots, asked.stream().filter(snapshot -> !snapshot.rules().isEmpty()).toList(), store::snapshotEach,
                Optional::of);
        ahead(parkings, parked, store::parkedEach, parking -> parking);
    }

    /** Fetches these ledger ranges in one round trip; {@link #ledger} with the same arguments finds them. */
    void readAhead(List<UsageLedger.Rows> asked) {
        ahead(ledgers, asked, ledger::readEach, rows -> rows);
    }

    /** Fetches these accounts' named-client figures in one round trip; {@link #clients} finds them. */
    void readClientsAhead(List<UsageLedger.Rows> asked) {
        ahead(clientFigures, asked, ledger::clientsEach, figures -> figures);
    }

    /** Fetches these latency ranges in one round trip; {@link #latency} with the same arguments finds them. */
    void readAhead(LatencyHistogram histogram, List<LatencyHistogram.Days> asked) {
        ahead(latencies, asked, histogram::readEach, counts -> counts);
    }

    /**
     * Reads {@code asked} at once and remembers each answer under what asked for it. When the read fails, nothing is
     * remembered: the failure is, and every later question is then answered as unread without asking.
     */
    private <K, V, M> void ahead(Map<K, M> memo, List<K> asked, Function<List<K>, List<V>> each,
                                 Function<V, M> kept) {
        if (asked.isEmpty()) {
            return;
        }
        read(() -> each.apply(asked)).ifPresent(answers -> {
            for (int i = 0; i < asked.size(); i++) {
                memo.put(asked.get(i), kept.apply(answers.get(i)));
            }
        });
    }

    /** The account-wide rules' usage; empty when Redis could not be read. */
    Optional<List<RuleUsage>> accountUsage(ProviderPool provider, Account account) {
        return snapshot(accountSnapshot(provider, account));
    }

    /** One model's own rules' usage; empty when Redis could not be read. */
    Optional<List<RuleUsage>> modelUsage(ProviderPool provider, Account account, String model) {
        return snapshot(modelSnapshot(provider, account, model));
    }

    /** A named client's own rules' usage (they count in UTC); empty when Redis could not be read. */
    Optional<List<RuleUsage>> clientUsage(ClientScope client) {
        return snapshot(clientSnapshot(client));
    }

    private Optional<List<RuleUsage>> snapshot(QuotaStore.Snapshot asked) {
        if (asked.rules().isEmpty()) {
            return Optional.of(List.of());
        }
        return snapshots.computeIfAbsent(asked, k -> read(() ->
                store.snapshot(asked.account(), asked.model(), asked.rules(), asked.zone())));
    }

    private static QuotaStore.Snapshot accountSnapshot(ProviderPool provider, Account account) {
        return new QuotaStore.Snapshot(account.quotaId(), "", CapacityCalculator.accountRules(provider.spec(), account),
                provider.spec().resetZone());
    }

    private static QuotaStore.Snapshot modelSnapshot(ProviderPool provider, Account account, String model) {
        return new QuotaStore.Snapshot(account.quotaId(), model,
                CapacityCalculator.modelRules(provider.spec(), account, model), provider.spec().resetZone());
    }

    private static QuotaStore.Snapshot clientSnapshot(ClientScope client) {
        return new QuotaStore.Snapshot(client.quotaId(), "all", client.rules(), ZoneOffset.UTC);
    }

    /** The account's own parking (model null), or the later of the account's and the model's. */
    Optional<QuotaStore.Parking> parked(Account account, String model) {
        QuotaStore.Parked asked = new QuotaStore.Parked(account.quotaId(), model);
        return parkings.computeIfAbsent(asked, k -> read(() -> store.parked(asked.account(), asked.model()))
                .flatMap(p -> p));
    }

    /** Ledger rows of the account from {@code from} to now; empty when Redis could not be read. */
    List<HourlyUsage> ledger(Account account, Instant from, Instant now) {
        UsageLedger.Rows asked = new UsageLedger.Rows(account.quotaId(), from, now);
        return ledgers.computeIfAbsent(asked, k -> read(() ->
                ledger.read(asked.account(), asked.from(), asked.to())).orElse(List.of()));
    }

    /** The named clients' figures kept in the account's slot from {@code from} to now; empty when unread. */
    List<ClientUsage> clients(Account account, Instant from, Instant now) {
        UsageLedger.Rows asked = new UsageLedger.Rows(account.quotaId(), from, now);
        return clientFigures.computeIfAbsent(asked, k -> read(() ->
                ledger.clients(asked.account(), asked.from(), asked.to())).orElse(List.of()));
    }

    /** The requests each named client was refused from {@code from} to now; empty when unread. */
    List<ClientUsage> clientRefusals(Instant from, Instant now) {
        return read(() -> ledger.clientRefusals(from, now)).orElse(List.of());
    }

    /** Latency bucket counts of the account over UTC days; empty when Redis could not be read. */
    Map<Long, Long> latency(LatencyHistogram histogram, Account account, LocalDate first, LocalDate last) {
        LatencyHistogram.Days asked = new LatencyHistogram.Days(account.quotaId(), first, last);
        return latencies.computeIfAbsent(asked, k -> read(() ->
                histogram.read(asked.account(), asked.first(), asked.last())).orElse(Map.of()));
    }

    /** Refused requests per UTC hour from {@code from} to now; empty when Redis could not be read. */
    Map<Instant, Map<String, Long>> refusals(RequestLog log, Instant from) {
        return read(() -> log.refusals(from)).orElse(Map.of());
    }

    /** The newest recent-requests entries of these accounts and of the refused requests; empty when unread. */
    List<String> recent(RequestLog log, Collection<String> accounts, int limit) {
        return read(() -> log.recent(accounts, limit)).orElse(List.of());
    }

    /** The first Redis failure of this reading, if any. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    private <T> Optional<T> read(java.util.function.Supplier<T> call) {
        if (failure != null) {
            return Optional.empty();
        }
        try {
            return Optional.of(call.get());
        } catch (QuotaUnavailableException e) {
            failure = e.getMessage();
            return Optional.empty();
        }
    }
}
