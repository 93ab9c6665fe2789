package dev.freeway.quota;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.Windows;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * One rule as a script sees it: the key of its current window, how the key is kept, and how much one call adds.
 *
 * @param kind   {@code c} counter of a calendar window or dated grant, {@code g} counter of a grant without a known
 *               end, {@code r} rolling window, {@code l} concurrency leases (see reserve.lua)
 * @param amount what this call adds: 1 request, estimated tokens, credits, 1 lease
 * @param expiry for {@code c}: absolute epoch ms the key expires at; otherwise ms the key lives after a write
 * @param span   rolling window or lease length in ms; 0 for counters
 * @param reset  when the current window ends, so a denied call knows when to come back; null when it never ends
 *               (grants) or frees continuously (rolling, leases; the script works those out)
 */
record CountedRule(LimitRule rule, String key, String kind, long amount, long expiry, long span, Instant reset) {

    /** A copy counting {@code other} instead: the output a reservation was granted changes what it counts. */
    CountedRule withAmount(long other) {
        return new CountedRule(rule, key, kind, other, expiry, span, reset);
    }

    /** Whether what this rule counts grows with the output granted (tokens, output tokens). */
    boolean grows() {
        return rule.metric() == Metric.TOKENS || rule.metric() == Metric.OUTPUT_TOKENS;
    }

    /** A grant with no published end still must not live forever (invariant 6); real grants last weeks, not years. */
    static final Duration UNDATED_GRANT_LIFE = Duration.ofDays(400);

    /**
     * @param margin how long a counter outlives its window, so a settlement arriving after the window ended still
     *               finds the key it corrects
     */
    static CountedRule of(LimitRule rule, String account, String model, ZoneId zone, Instant now, long amount,
                          Duration margin, Duration lease) {
        String base = QuotaKeys.rule(account, model, rule);
        if (rule.metric() == Metric.CONCURRENT_REQUESTS) {
            return new CountedRule(rule, base, "l", 1, lease.plus(margin).toMillis(), lease.toMillis(), null);
        }
        switch (rule.window()) {
            case ROLLING: {
                long span = rule.rolling().toMillis();
                return new CountedRule(rule, base, "r", amount, span + margin.toMillis(), span, null);
            }
            case GRANT: {
                Windows.Span grant = Windows.span(rule, zone, now);
                if (grant.end() == null) {
                    return new CountedRule(rule, base + "@undated", "g", amount, UNDATED_GRANT_LIFE.toMillis(), 0, null);
                }
                // The expiry date is in the key: a new grant with a new date starts from zero.
                return new CountedRule(rule, base + "@" + rule.expires(), "c", amount,
                        grant.end().plus(margin).toEpochMilli(), 0, null);
            }
            case NONE:
                throw new IllegalArgumentException("rule " + rule.identity() + " has no window; only concurrent_requests may");
            default: {
                Windows.Span window = Windows.span(rule.window(), zone, now);
                return new CountedRule(rule, base + "@" + window.start().getEpochSecond(), "c", amount,
                        window.end().plus(margin).toEpochMilli(), 0, window.end());
            }
        }
    }

    /**
     * What a call with these token counts adds to a rule of this metric, at most {@link LimitRule#LARGEST_LIMIT}
     * (Redis scripts count in doubles, exact to 2^53): an estimate that would overflow is simply larger than any
     * limit, never negative.
     */
    static long amount(Metric metric, long inputTokens, long outputTokens, CreditPrice price) {
        long amount = switch (metric) {
            case TOKENS -> saturatedSum(inputTokens, outputTokens);
            case INPUT_TOKENS -> inputTokens;
            case OUTPUT_TOKENS -> outputTokens;
            case CREDITS -> price.credits(inputTokens, outputTokens);
            default -> 1;
        };
        return Math.min(Math.max(0, amount), LimitRule.LARGEST_LIMIT);
    }

    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** A dated grant whose last day has passed can never admit again. */
    static boolean grantOver(LimitRule rule, ZoneId zone, Instant now) {
        return rule.window() == LimitRule.Window.GRANT && Windows.span(rule, zone, now).over(now);
    }
}
