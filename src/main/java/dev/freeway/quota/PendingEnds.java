package dev.freeway.quota;

import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ends of reservations that could not reach Redis, and give-ups on reserves whose answer never came, sent in order
 * on one background thread until Redis takes them or their reservation has expired by itself. Every end is
 * idempotent (settle.lua), so one sent again after a write that did land late changes nothing. When one fails the
 * rest wait for the next round, half a second later: Redis is away for all of them. One Redis answers with an error is
 * dropped with an error in the log: it would get the same answer every time. At most {@link #MOST} wait;
 * beyond that new ones are dropped with a warning and their leases expire by themselves.
 */
final class PendingEnds implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PendingEnds.class);
    static final int MOST = 10_000;
    private static final Duration ROUND = Duration.ofMillis(500);

    private final RedisScripts redis;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread t = new Thread(runnable, "freeway-pending-quota-ends");
        t.setDaemon(true);
        return t;
    });

    PendingEnds(RedisScripts redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
        thread.scheduleWithFixedDelay(this::drain, ROUND.toMillis(), ROUND.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends it soon on the background thread, and again until it lands or {@code until} has passed. */
    void send(Settlement settlement, Instant until) {
        if (waiting.incrementAndGet() > MOST) {
            waiting.decrementAndGet();
            LOG.warnf("Quota %s of %s dropped: %d are already waiting for Redis", settlement.what(),
                    settlement.account(), MOST);
            return;
        }
        queue.add(new Pending(settlement, until));
        thread.execute(this::drain);
    }

    /** How many wait for Redis now. */
    int waiting() {
        return waiting.get();
    }

    private void drain() {
        Pending next;
        while ((next = queue.peek()) != null) {
            if (clock.instant().isAfter(next.until)) {
                LOG.warnf("Quota %s of %s given up: Redis did not take it before the reservation expired",
                        next.settlement.what(), next.settlement.account());
            } else {
                try {
                    redis.eval(LuaScript.SETTLE, next.settlement.keys(), next.settlement.args());
                } catch (QuotaUnavailableException e) {
                    if (!e.refused()) {
                        return; // Redis is away for every one of them: next round
                    }
                    // it would be refused every time: the ones behind it must not wait on it
                    LOG.errorf("Quota %s of %s dropped: %s", next.settlement.what(), next.settlement.account(),
                            e.getMessage());
                }
            }
            queue.poll();
            waiting.decrementAndGet();
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    private record Pending(Settlement settlement, Instant until) {
    }
}
