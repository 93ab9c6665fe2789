package dev.freeway.status;

import dev.freeway.catalog.LimitRule;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.quota.QuotaStore;
import dev.freeway.quota.QuotaUnavailableException;
import dev.freeway.quota.Reservation;
import dev.freeway.quota.ReportedRemaining;
import dev.freeway.quota.RuleUsage;
import dev.freeway.routing.ClientScope;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A status reading asks Redis once per account and model, and nothing more after Redis fails. */
class PoolReadingTest {

    final Pool pool = CapacityCalculatorTest.pool();
    final ProviderPool groq = pool.provider("groqlike").orElseThrow();

    @Test
    void each_snapshot_and_parking_is_read_once() {
        CountingStore store = new CountingStore(false);
        PoolReading reading = new PoolReading(store, null);
        for (int i = 0; i < 3; i++) {
            reading.modelUsage(groq, groq.accounts().get(0), "X");
            reading.parked(groq.accounts().get(0), "X");
        }
        assertEquals(1, store.snapshots.get());
        assertEquals(1, store.parkings.get());
        // account-wide rules: groqlike has none, so nothing to read
        assertEquals(Optional.of(List.of()), reading.accountUsage(groq, groq.accounts().get(0)));
        assertEquals(1, store.snapshots.get());
    }

    @Test
    void after_the_first_failure_nothing_more_is_asked() {
        CountingStore store = new CountingStore(true);
        PoolReading reading = new PoolReading(store, null);
        assertEquals(Optional.empty(), reading.modelUsage(groq, groq.accounts().get(0), "X"));
        assertEquals(Optional.empty(), reading.modelUsage(groq, groq.accounts().get(1), "Y"));
        assertEquals(Optional.empty(), reading.parked(groq.accounts().get(1), null));
        assertEquals(1, store.snapshots.get() + store.parkings.get());
        assertTrue(reading.failure().orElseThrow().contains("Redis down"));
    }

    @Test
    void a_read_ahead_fetches_every_account_and_model_in_one_call_each_for_usage_and_parking() {
        CountingStore store = new CountingStore(false);
        PoolReading reading = new PoolReading(store, null);
        ClientScope team = new ClientScope("team", List.of(LimitRule.of(LimitRule.Metric.REQUESTS,
                LimitRule.Window.DAY, LimitRule.Scope.ACCOUNT, 100)), java.util.Set.of(), java.util.Set.of());
        reading.readAhead(pool, List.of(team));
        assertEquals(1, store.snapshotCalls.get());
        assertEquals(1, store.parkingCalls.get());
        assertEquals(1, reading.clientUsage(team).orElseThrow().get(0).used(), "the client's rules came in the same call");
        int asked = store.snapshots.get() + store.parkings.get();
        for (ProviderPool provider : pool.all()) {
            for (var account : provider.accounts()) {
                assertTrue(reading.accountUsage(provider, account).isPresent());
                assertEquals(Optional.empty(), reading.parked(account, null));
                for (String model : provider.spec().models().keySet()) {
                    assertTrue(reading.modelUsage(provider, account, model).isPresent());
                    assertEquals(Optional.empty(), reading.parked(account, model));
                }
            }
        }
        // every later question was answered from what the read ahead fetched
        assertEquals(asked, store.snapshots.get() + store.parkings.get());
        assertEquals(1, store.snapshotCalls.get());
        assertEquals(1, store.parkingCalls.get());
        List<RuleUsage> x = reading.modelUsage(groq, groq.accounts().get(0), "X").orElseThrow();
        assertEquals(4, x.size());
        x.forEach(usage -> assertEquals(1, usage.used()));
    }

    @Test
    void a_read_ahead_that_fails_leaves_the_page_unread_and_asks_nothing_more() {
        CountingStore store = new CountingStore(true);
        PoolReading reading = new PoolReading(store, null);
        reading.readAhead(pool, List.of());
        assertEquals(1, store.snapshotCalls.get());
        assertEquals(0, store.parkingCalls.get());
        assertEquals(Optional.empty(), reading.modelUsage(groq, groq.accounts().get(0), "X"));
        assertEquals(Optional.empty(), reading.parked(groq.accounts().get(1), null));
        assertEquals(1, store.snapshots.get() + store.parkings.get());
        assertTrue(reading.failure().orElseThrow().contains("Redis down"));
    }

    /** Counts reads, and the calls that asked for several at once; fails every one when told to. */
    static final class CountingStore implements QuotaStore {
        final AtomicInteger snapshots = new AtomicInteger();
        final AtomicInteger parkings = new AtomicInteger();
        final AtomicInteger snapshotCalls = new AtomicInteger();
        final AtomicInteger parkingCalls = new AtomicInteger();
        final boolean down;

        CountingStore(boolean down) {
            this.down = down;
        }

        @Override
        public List<RuleUsage> snapshot(String account, String model, List<LimitRule> rules, ZoneId zone) {
            snapshots.incrementAndGet();
            if (down) {
                throw new QuotaUnavailableException("Redis down", null);
            }
            return rules.stream().map(r -> new RuleUsage(r, 1, null)).toList();
        }

        @Override
        public Optional<Parking> parked(String account, String model) {
            parkings.incrementAndGet();
            if (down) {
                throw new QuotaUnavailableException("Redis down", null);
            }
            return Optional.empty();
        }

        @Override
        public List<List<RuleUsage>> snapshotEach(List<Snapshot> asked) {
            snapshotCalls.incrementAndGet();
            return QuotaStore.super.snapshotEach(asked);
        }

        @Override
        public List<Optional<Parking>> parkedEach(List<Parked> asked) {
            parkingCalls.incrementAndGet();
            return QuotaStore.super.parkedEach(asked);
        }

        @Override
        public List<Standing> standingEach(List<Snapshot> asked) {
            throw new UnsupportedOperationException("status weighs no accounts");
        }

        @Override
        public Reservation reserve(QuotaRequest request, dev.freeway.quota.CreditPrice price) {
            throw new UnsupportedOperationException("status never reserves");
        }

        @Override
        public java.util.concurrent.CompletableFuture<Reservation> reserveAsync(QuotaRequest request,
                                                                              dev.freeway.quota.CreditPrice price) {
            throw new UnsupportedOperationException("status never reserves");
        }

        @Override
        public void park(String account, String model, Parking parking) {
            throw new UnsupportedOperationException("status never parks");
        }

        @Override
        public void correct(String account, String model, List<LimitRule> rules, ZoneId zone,
                            List<ReportedRemaining> reported) {
            throw new UnsupportedOperationException("status never corrects");
        }

        @Override
        public boolean degraded() {
            return down;
        }
    }
}
