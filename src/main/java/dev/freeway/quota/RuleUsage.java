package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;

import java.time.Instant;

/**
 * How much of one rule is used now, for status pages and the dashboard.
 *
 * @param rule     the rule
 * @param used     counted in the current window (leases held, for a concurrency rule)
 * @param resetsAt when the current window ends; null for rolling windows (they free up continuously), grants
 *                 without a known expiry and concurrency caps
 */
public record RuleUsage(LimitRule rule, long used, Instant resetsAt) {

    public long limit() {
        return rule.limit();
    }

    public long remaining() {
        return Math.max(0, rule.limit() - used);
    }
}
