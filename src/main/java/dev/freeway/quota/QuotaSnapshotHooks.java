package dev.freeway.quota;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.eclipse.microprofile.health.Readiness;

/**
 * Carries the quota store across a snapshot of this process. Lambda SnapStart snapshots the function after its
 * init, when {@link QuotaReadiness} has already opened the Redis connection. Every environment restored from that
 * snapshot would start with that socket, which no longer leads to Redis, and its first reservation would wait out
 * the timeout and be refused (fail-closed) or go uncounted (fail-open). So the connection is closed before the
 * snapshot and opened again, with the scripts loaded, right after each restore, before the first request.
 *
 * <p>Lambda calls these hooks through the {@code org.crac} API; on a JVM without CRaC, registering does nothing.
 * The context holds its resources weakly; this bean, application-scoped, lives as long as the application.
 */
@ApplicationScoped
public class QuotaSnapshotHooks implements Resource {

    private final RedisScripts redis;
    private final QuotaReadiness readiness;

    public QuotaSnapshotHooks(RedisScripts redis, @Readiness QuotaReadiness readiness) {
        this.redis = redis;
        this.readiness = readiness;
    }

    void register(@Observes StartupEvent started) {
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        redis.disconnect();
    }

    /**
     * Never throws: a Redis that does not answer now leaves readiness down, as at start-up. The warm-up stops at its
     * first failed command, so it takes at most {@link RedisScripts#longestWait()}, well within the 10 s Lambda gives
     * the restore hooks with the shipped timeout.
     */
    @Override
    public void afterRestore(Context<? extends Resource> context) {
        readiness.warmUp();
    }
}
