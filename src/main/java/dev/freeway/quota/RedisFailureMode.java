package dev.freeway.quota;

/** What the quota engine does when Redis is unreachable. */
public enum RedisFailureMode {
    /** Refuse to reserve: the request gets a 503 that says the quota store is unavailable. */
    FAIL_CLOSED,
    /** Admit without counting, and report the engine as degraded in logs and status. */
    FAIL_OPEN
}
