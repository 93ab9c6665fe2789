package dev.freeway.quota;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Ready once the quota store is: its connection open and its scripts loaded at start-up (so that a burst right after
 * start-up waits for neither), and Redis answering a PING within {@code freeway.quota.redis-timeout} now. A paused
 * or lost Redis makes readiness go down within that timeout, never hang; liveness does not depend on Redis.
 */
@Readiness
@ApplicationScoped
public class QuotaReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(QuotaReadiness.class);

    private final RedisScripts redis;
    private volatile boolean warm;

    public QuotaReadiness(RedisScripts redis) {
        this.redis = redis;
    }

    void warmUp(@Observes StartupEvent started) {
        warmUp();
    }

    /** Opens the connection and loads the scripts now: at start-up, and after a restore from a snapshot. */
    void warmUp() {
        warm = tryWarmUp();
        if (!warm) {
            LOG.warn("Redis did not answer while warming up; readiness stays down until it does");
        }
    }

    @Override
    public HealthCheckResponse call() {
        boolean up = warm ? redis.answers() : (warm = tryWarmUp());
        return HealthCheckResponse.named("quota store (Redis)").status(up)
                .withData("scripts", warm ? "loaded" : "not loaded").build();
    }

    private boolean tryWarmUp() {
        try {
            redis.warmUp();
            return true;
        } catch (QuotaUnavailableException e) {
            return false;
        }
    }
}
