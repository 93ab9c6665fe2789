package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Scope;
import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.support.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quota engine as the request path gets it: CDI beans on the Redis that quarkus.redis.hosts names. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class QuotaBeansTest {

    @Inject
    QuotaStore store;
    @Inject
    UsageLedger ledger;
    @Inject
    TokenEstimator estimator;
    @Inject
    QuotaConfig config;

    @Test
    void defaults_fail_closed_keep_the_ledger_35_days_and_time_out_within_a_second() {
        assertEquals(RedisFailureMode.FAIL_CLOSED, config.redisFailureMode());
        assertEquals(35, config.ledgerDays());
        assertEquals(Duration.ofSeconds(1), config.redisTimeout());
        assertEquals(1024, config.defaultMaxOutputTokens());
        assertEquals(300, config.leaseSeconds());
    }

    @Test
    void reserve_settle_and_ledger_work_through_the_beans() {
        String account = "bean:" + UUID.randomUUID();
        LimitRule daily = LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 1);
        QuotaStore.QuotaRequest request = new QuotaStore.QuotaRequest(account, "gemini-2.5-flash", List.of(daily),
                ZoneId.of("America/Los_Angeles"), estimator.tokens("hello world"), 100);
        Reservation reservation = store.reserve(request, CreditPrice.NONE);
        assertTrue(reservation.admitted());
        assertFalse(store.reserve(request, CreditPrice.NONE).admitted());
        reservation.admission().served(Spent.reported(2, 7), List.of()).join();
        assertFalse(store.degraded());
        Instant now = Instant.now();
        List<HourlyUsage> rows = ledger.read(account, now.minus(Duration.ofHours(1)), now.plusSeconds(60));
        assertEquals(1, rows.size());
        assertEquals(UsageCounts.served(2, 7), rows.get(0).counts());
    }
}
