package dev.freeway.status;

import dev.freeway.catalog.LimitRule;
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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One read of the pool's counters for a status report: each snapshot (one per account, and one per account and
 * model with model-scoped rules), parking, ledger range and latency range is fetched once and remembered. The
 * {@code readAhead} calls fetch what a whole page will ask for in a few round trips, however many accounts and models
 * the pool has; what they did not fetch is read when asked. After the first Redis failure nothing more is asked, so
 * a status page over an unreachable Redis costs one timeout, not hundreds.
 */
final class PoolReading {

    private final QuotaStore store;
    private final UsageLedger ledger;
    private final Map<String, Optional<List<RuleUsage>>> snapshots = new HashMap<>();
    private final Map<String, Optional<QuotaStore.Parking>> parkings = new HashMap<>();
    private final Map<String, List<HourlyUsage>> ledgers = new HashMap<>();
    private final Map<String, Map<Long, Long>> latencies = new HashMap<>();
    private final Map<String, List<ClientUsage>> clientFigures = new HashMap<>();
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
        List<String> memos = new ArrayList<>();
        List<QuotaStore.Snapshot> asked = new ArrayList<>();
        List<String> parkingMemos = new ArrayList<>();
        List<QuotaStore.Parked> parked = new ArrayList<>();
        for (ProviderPool provider : pool.all()) {
            ZoneId zone = provider.spec().resetZone();
            for (Account account : provider.accounts()) {
                List<LimitRule> shared = CapacityCalculator.accountRules(provider.spec(), account);
                if (!shared.isEmpty()) {
                    memos.add(account.quotaId());
                    asked.add(new QuotaStore.Snapshot(account.quotaId(), "", shared, zone));
                }
                parkingMemos.add(parkingMemo(account, null));
                parked.add(new QuotaStore.Parked(account.quotaId(), null));
                for (String model : provider.spec().models().keySet()) {
                    List<LimitRule> own = CapacityCalculator.modelRules(provider.spec(), account, model);
                    if (!own.isEmpty()) {
                        memos.add(modelMemo(account, model));
                        asked.add(new QuotaStore.Snapshot(account.quotaId(), model, own, zone));
                    }
                    parkingMemos.add(parkingMemo(account, model));
                    parked.add(new QuotaStore.Parked(account.quotaId(), model));
                }
            }
        }
        for (ClientScope client : clients) {
            if (!client.rules().isEmpty()) {
                memos.add(client.quotaId());
                asked.add(clientSnapshot(client));
            }
        }
        Optional<List<List<RuleUsage>>> usage = asked.isEmpty() ? Optional.of(List.of())
                : read(() -> store.snapshotEach(asked));
        for (int i = 0; i < memos.size(); i++) {
            int at = i;
            snapshots.put(memos.get(i), usage.map(each -> each.get(at)));
        }
        Optional<List<Optional<QuotaStore.Parking>>> parkedNow = read(() -> store.parkedEach(parked));
        for (int i = 0; i < parkingMemos.size(); i++) {
            int at = i;
            parkings.put(parkingMemos.get(i), parkedNow.flatMap(each -> each.get(at)));
        }
    }

    /** Fetches these ledger ranges in one round trip; {@link #ledger} with the same account and start finds them. */
    void readAhead(List<UsageLedger.Rows> asked) {
        List<String> memos = asked.stream().map(rows -> ledgerMemo(rows.account(), rows.from())).toList();
        read(() -> ledger.readEach(asked)).ifPresent(read -> {
            for (int i = 0; i < memos.size(); i++) {
                ledgers.put(memos.get(i), read.get(i));
            }
        });
    }

    /** Fetches these accounts' named-client figures in one round trip; {@link #clients} finds them. */
    void readClientsAhead(List<UsageLedger.Rows> asked) {
        List<String> memos = asked.stream().map(rows -> ledgerMemo(rows.account(), rows.from())).toList();
        read(() -> ledger.clientsEach(asked)).ifPresent(read -> {
            for (int i = 0; i < memos.size(); i++) {
                clientFigures.put(memos.get(i), read.get(i));
            }
        });
    }

    /** Fetches these latency ranges in one round trip; {@link #latency} with the same arguments finds them. */
    void readAhead(LatencyHistogram histogram, List<LatencyHistogram.Days> asked) {
        List<String> memos = asked.stream().map(d -> latencyMemo(d.account(), d.first(), d.last())).toList();
        read(() -> histogram.readEach(asked)).ifPresent(read -> {
            for (int i = 0; i < memos.size(); i++) {
                latencies.put(memos.get(i), read.get(i));
            }
        });
    }

    /** The account-wide rules' usage; empty when Redis could not be read. */
    Optional<List<RuleUsage>> accountUsage(ProviderPool provider, Account account) {
        List<LimitRule> rules = CapacityCalculator.accountRules(provider.spec(), account);
        return snapshot(account.quotaId(), account, "", rules, provider);
    }

    /** One model's own rules' usage; empty when Redis could not be read. */
    Optional<List<RuleUsage>> modelUsage(ProviderPool provider, Account account, String model) {
        List<LimitRule> rules = CapacityCalculator.modelRules(provider.spec(), account, model);
        return snapshot(modelMemo(account, model), account, model, rules, provider);
    }

    private Optional<List<RuleUsage>> snapshot(String memo, Account account, String model, List<LimitRule> rules,
                                               ProviderPool provider) {
        if (rules.isEmpty()) {
            return Optional.of(List.of());
        }
        return snapshots.computeIfAbsent(memo, k -> read(() ->
                store.snapshot(account.quotaId(), model, rules, provider.spec().resetZone())));
    }

    /** The account's own parking (model null), or the later of the account's and the model's. */
    Optional<QuotaStore.Parking> parked(Account account, String model) {
        return parkings.computeIfAbsent(parkingMemo(account, model), k -> read(() -> store.parked(account.quotaId(), model))
                .flatMap(p -> p));
    }

    /** Ledger rows of the account from {@code from} to now; empty when Redis could not be read. */
    List<HourlyUsage> ledger(Account account, Instant from, Instant now) {
        return ledgers.computeIfAbsent(ledgerMemo(account.quotaId(), from), k -> read(() ->
                ledger.read(account.quotaId(), from, now)).orElse(List.of()));
    }

    /** A named client's own rules' usage (they count in UTC); empty when Redis could not be read. */
    Optional<List<RuleUsage>> clientUsage(ClientScope client) {
        if (client.rules().isEmpty()) {
            return Optional.of(List.of());
        }
        return snapshots.computeIfAbsent(client.quotaId(), k -> read(() -> {
            QuotaStore.Snapshot asked = clientSnapshot(client);
            return store.snapshot(asked.account(), asked.model(), asked.rules(), asked.zone());
        }));
    }

    private static QuotaStore.Snapshot clientSnapshot(ClientScope client) {
        return new QuotaStore.Snapshot(client.quotaId(), "all", client.rules(), ZoneOffset.UTC);
    }

    /** The named clients' figures kept in the account's slot from {@code from} to now; empty when unread. */
    List<ClientUsage> clients(Account account, Instant from, Instant now) {
        return clientFigures.computeIfAbsent(ledgerMemo(account.quotaId(), from), k -> read(() ->
                ledger.clients(account.quotaId(), from, now)).orElse(List.of()));
    }

    /** The requests each named client was refused from {@code from} to now; empty when unread. */
    List<ClientUsage> clientRefusals(Instant from, Instant now) {
        return read(() -> ledger.clientRefusals(from, now)).orElse(List.of());
    }

    /** Latency bucket counts of the account over UTC days; empty when Redis could not be read. */
    Map<Long, Long> latency(LatencyHistogram histogram, Account account, LocalDate first, LocalDate last) {
        return latencies.computeIfAbsent(latencyMemo(account.quotaId(), first, last), k -> read(() ->
                histogram.read(account.quotaId(), first, last)).orElse(Map.of()));
    }

    /** Refused requests per UTC hour from {@code from} to now; empty when Redis could not be read. */
    Map<Instant, Map<String, Long>> refusals(RequestLog log, Instant from) {
        return read(() -> log.refusals(from)).orElse(Map.of());
    }

    /** The newest recent-requests entries of these accounts and of the refused requests; empty when unread. */
    List<String> recent(RequestLog log, Collection<String> accounts, int limit) {
        return read(() -> log.recent(accounts, limit)).orElse(List.of());
    }

    private static String modelMemo(Account account, String model) {
        return account.quotaId() + "\u0000" + model;
    }

    private static String parkingMemo(Account account, String model) {
        return account.quotaId() + "\u0000" + (model == null ? "" : model);
    }

    private static String ledgerMemo(String account, Instant from) {
        return account + "\u0000" + from;
    }

    private static String latencyMemo(String account, LocalDate first, LocalDate last) {
        return account + "\u0000" + first + "\u0000" + last;
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
