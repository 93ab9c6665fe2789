package dev.freeway.catalog;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One limit of an account: metric × window × scope × number.
 *
 * @param metric   what is counted
 * @param window   the window it is counted in
 * @param scope    the whole account, or the account and one model
 * @param limit    the most that may be admitted in one window
 * @param rolling  the length of a {@link Window#ROLLING} window; null otherwise
 * @param expires  the last day a {@link Window#GRANT} can be used (in the provider's zone); null = no expiry known
 * @param tier     whether the rule bounds a free allowance or only paid use (a rate limit on billed calls)
 */
public record LimitRule(Metric metric, Window window, Scope scope, long limit, Duration rolling, LocalDate expires,
                        Tier tier) {

    /** The largest limit a rule may have: quota scripts count in Lua numbers, which are exact up to 2^53. */
    public static final long LARGEST_LIMIT = (1L << 53) - 1;

    public LimitRule {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(tier, "tier");
        if (limit < 0 || limit > LARGEST_LIMIT) {
            throw new IllegalArgumentException("limit must be from 0 to " + LARGEST_LIMIT + ", was " + limit);
        }
        if (window == Window.ROLLING && (rolling == null || rolling.isZero() || rolling.isNegative())) {
            throw new IllegalArgumentException("a rolling window needs a positive length in seconds");
        }
    }

    /** A free-tier rule. */
    public LimitRule(Metric metric, Window window, Scope scope, long limit, Duration rolling, LocalDate expires) {
        this(metric, window, scope, limit, rolling, expires, Tier.FREE);
    }

    public static LimitRule of(Metric metric, Window window, Scope scope, long limit) {
        return new LimitRule(metric, window, scope, limit, null, null);
    }

    /** Whether it renews: every window but a one-time grant and concurrency (which bounds no amount over time). */
    public boolean renews() {
        return window != Window.GRANT && window != Window.NONE;
    }

    /** Two rules with the same identity count the same thing; an account's rule replaces the catalog's. */
    public String identity() {
        String length = window == Window.ROLLING ? String.valueOf(rolling.toSeconds()) : "";
        return metric.key() + ":" + window.key() + length + ":" + scope.key();
    }

    /** What is counted. */
    public enum Metric {
        REQUESTS("requests"), TOKENS("tokens"), INPUT_TOKENS("input_tokens"), OUTPUT_TOKENS("output_tokens"),
        CREDITS("credits"), CONCURRENT_REQUESTS("concurrent_requests");

        private final String key;

        Metric(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static Metric parse(String text) {
            for (Metric m : values()) {
                if (m.key.equalsIgnoreCase(text.trim().replace('-', '_'))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown metric '" + text + "' (use requests, tokens, input_tokens, output_tokens, credits, concurrent_requests)");
        }
    }

    /** Calendar windows run in the provider's reset time zone; ROLLING is N seconds back from now; GRANT never renews. */
    public enum Window {
        MINUTE("minute"), HOUR("hour"), DAY("day"), MONTH("month"), ROLLING("rolling"), GRANT("grant"),
        /** concurrency leases are not windowed; they live until settled or until their lease expires */
        NONE("none");

        private final String key;

        Window(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static Window parse(String text) {
            for (Window w : values()) {
                if (w.key.equalsIgnoreCase(text.trim())) {
                    return w;
                }
            }
            throw new IllegalArgumentException("unknown window '" + text + "' (use minute, hour, day, month, rolling, grant)");
        }
    }

    /**
     * What a rule's allowance costs. Every rule caps every call; a PAID rule (DashScope's per-minute limits, Moonshot's
     * tiers) only says how fast billed calls may go, so what it admits is not free capacity.
     */
    public enum Tier {
        FREE("free"), PAID("paid");

        private final String key;

        Tier(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static Tier parse(String text) {
            for (Tier t : values()) {
                if (t.key.equalsIgnoreCase(text.trim())) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown tier '" + text + "' (use free or paid)");
        }
    }

    /** Whose usage a rule counts. */
    public enum Scope {
        ACCOUNT("account"), MODEL("model");

        private final String key;

        Scope(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }
}
