package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** With no quarkus.redis.hosts, Freeway starts its own redis-server and the quota engine works on it. */
@QuarkusTest
class EmbeddedRedisDefaultTest {

    @ConfigProperty(name = "quarkus.redis.hosts")
    String hosts;
    @Inject
    QuotaStore store;

    @Test
    void starts_a_local_redis_and_counts_on_it() {
        assertTrue(hosts.startsWith("redis://127.0.0.1:"), hosts);
        LimitRule rule = LimitRule.of(LimitRule.Metric.REQUESTS, LimitRule.Window.MINUTE, LimitRule.Scope.ACCOUNT, 5);
        Reservation reservation = store.reserve(new QuotaStore.QuotaRequest("local:" + UUID.randomUUID(), "m",
                List.of(rule), ZoneOffset.UTC, 1, 1), CreditPrice.NONE);
        assertTrue(reservation.admitted());
        assertTrue(reservation.remaining().requests() == 4, "counted on the embedded Redis");
    }
}
