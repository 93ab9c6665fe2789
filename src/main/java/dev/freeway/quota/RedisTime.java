package dev.freeway.quota;

import java.time.Duration;
import java.time.Instant;

/**
 * What this process knows of Redis's clock, learnt from every reserve answer (each carries Redis TIME), so that a
 * reserve script can be given a deadline in Redis's own time: a script that runs after it changes nothing. The
 * deadline only bounds how long a give-up's tombstone must live; exactness never depends on the clocks agreeing.
 */
final class RedisTime {

    private final Duration timeout;
    private final long allowance;
    /** Redis ms minus this process's ms, at the last answer. */
    private volatile long offset;

    RedisTime(Duration timeout) {
        this.timeout = timeout;
        // a reserve is refused as late only well after this process would have given up on it
        this.allowance = Math.max(1000, timeout.toMillis());
    }

    /** The deadline, in Redis ms, of a reserve sent now. */
    long deadline(Instant now) {
        return now.toEpochMilli() + offset + timeout.toMillis() + allowance;
    }

    /** Learns the offset from an answer that carried Redis's time, sent and received at these local instants. */
    void observe(long redisMillis, Instant sent, Instant received) {
        if (redisMillis > 0) {
            offset = redisMillis - (sent.toEpochMilli() + received.toEpochMilli()) / 2;
        }
    }

    /** How long a give-up's tombstone must outlive the reserve's deadline, in Redis ms. */
    static long tombstoneUntil(long deadline) {
        return deadline + 1000;
    }
}
