package dev.freeway.demo;

import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.catalog.Windows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * A simulated provider's own limits, counted in its memory the way the provider counts on its side: requests per
 * calendar minute and per calendar day in its reset zone, tokens per minute for its headers. Freeway's counting never
 * looks here; it stays in Redis. Only past and current windows are kept, so memory stays bounded.
 */
final class SimulatedQuota {

    /**
     * @param perMinute       requests a minute
     * @param perDay          requests a day
     * @param tokensPerMinute tokens a minute, reported in headers only
     * @param zone            where the day starts
     * @param perModel        counted per model (Groq, Gemini) or for the whole account (OpenRouter)
     */
    record Limits(long perMinute, long perDay, long tokensPerMinute, ZoneId zone, boolean perModel) {
    }

    /**
     * What the provider decided about one request.
     *
     * @param admitted        whether it is served
     * @param window          when refused: "minute" or "day"
     * @param limit           when refused: the limit of that window
     * @param used            when refused: requests already counted in that window
     * @param resetAt         when refused: when that window starts again
     * @param remainingDay    requests left today after this one
     * @param dayReset        start of the next day
     * @param remainingTokens tokens left this minute
     * @param minuteReset     start of the next minute
     */
    record Verdict(boolean admitted, String window, long limit, long used, Instant resetAt, long remainingDay,
                   Instant dayReset, long remainingTokens, Instant minuteReset) {
    }

    private final Limits limits;
    private final Map<String, Counter> counters = new HashMap<>();

    SimulatedQuota(Limits limits) {
        this.limits = limits;
    }

    Limits limits() {
        return limits;
    }

    /** Counts one request when both windows have room; otherwise says which ran out (the day first). */
    synchronized Verdict take(String model, Instant now) {
        Counter counter = counter(model, now);
        Instant minuteReset = nextMinute(now);
        Instant dayReset = nextDay(now);
        if (counter.day >= limits.perDay()) {
            return refused(counter, "day", limits.perDay(), counter.day, dayReset, minuteReset);
        }
        if (counter.minute >= limits.perMinute()) {
            return refused(counter, "minute", limits.perMinute(), counter.minute, minuteReset, minuteReset);
        }
        counter.minute++;
        counter.day++;
        return new Verdict(true, null, 0, 0, null, limits.perDay() - counter.day, dayReset,
                Math.max(0, limits.tokensPerMinute() - counter.tokens), minuteReset);
    }

    /** Adds the tokens of an answer to the minute's count. */
    synchronized void spend(String model, Instant now, long tokens) {
        counter(model, now).tokens += tokens;
    }

    private Verdict refused(Counter counter, String window, long limit, long used, Instant resetAt, Instant minuteReset) {
        return new Verdict(false, window, limit, used, resetAt, limits.perDay() - counter.day, counter.dayEnd,
                Math.max(0, limits.tokensPerMinute() - counter.tokens), minuteReset);
    }

    private Counter counter(String model, Instant now) {
        Counter counter = counters.computeIfAbsent(limits.perModel() ? model : "", k -> new Counter());
        Instant minuteStart = Windows.span(Window.MINUTE, ZoneOffset.UTC, now).start();
        if (!minuteStart.equals(counter.minuteStart)) {
            counter.minuteStart = minuteStart;
            counter.minute = 0;
            counter.tokens = 0;
        }
        Instant dayEnd = nextDay(now);
        if (!dayEnd.equals(counter.dayEnd)) {
            counter.dayEnd = dayEnd;
            counter.day = 0;
        }
        return counter;
    }

    private static Instant nextMinute(Instant now) {
        return Windows.nextReset(Window.MINUTE, ZoneOffset.UTC, now);
    }

    private Instant nextDay(Instant now) {
        return Windows.nextReset(Window.DAY, limits.zone(), now);
    }

    private static final class Counter {
        Instant minuteStart;
        Instant dayEnd;
        long minute;
        long day;
        long tokens;
    }
}
