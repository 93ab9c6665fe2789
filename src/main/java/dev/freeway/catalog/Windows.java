package dev.freeway.catalog;

import dev.freeway.catalog.LimitRule.Window;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Calendar and reset arithmetic, in one place: which window an instant falls in, when that window ends, and when a
 * limit that ran out has room again. The quota store keys and expires its counters with it ({@code quota.CountedRule}),
 * the error dialects compute "until the next midnight in the provider's zone" with it, routing parks an exhausted
 * account until the window's end with it, and status shows the next daily reset with it. A new reset rule is added
 * here, once.
 *
 * <p>Calendar windows (minute, hour, day, month) run in the provider's reset time zone, so a Gemini "day" is
 * midnight to midnight America/Los_Angeles and is 23 or 25 hours long on the days clocks change. The store computes
 * spans here, in Java, and hands the script finished keys and expiry instants; Redis never needs to know a zone.
 * Rolling windows and leases are measured with Redis TIME inside the scripts instead, because all processes must
 * agree on "now" to the millisecond for a sliding window, while a calendar boundary a few milliseconds off only
 * moves a call into the neighbouring window, each of which still stays within its limit.
 */
public final class Windows {

    private Windows() {
    }

    /**
     * The calendar window or grant that {@code now} falls in.
     *
     * @param start first instant of the window; for a grant the epoch (a grant has no beginning Freeway can know)
     * @param end   first instant after the window; null for a grant without a known expiry
     */
    public record Span(Instant start, Instant end) {

        /** Whether the window is over at {@code now}: only a grant past its expiry date is. */
        public boolean over(Instant now) {
            return end != null && !now.isBefore(end);
        }
    }

    /** The span of a calendar or grant rule at {@code now}, in the provider's zone. */
    public static Span span(LimitRule rule, ZoneId zone, Instant now) {
        if (rule.window() == Window.GRANT) {
            LocalDate lastDay = rule.expires();
            return new Span(Instant.EPOCH, lastDay == null ? null : lastDay.plusDays(1).atStartOfDay(zone).toInstant());
        }
        return span(rule.window(), zone, now);
    }

    /** The calendar window of the given kind that {@code now} falls in. */
    public static Span span(Window window, ZoneId zone, Instant now) {
        ZonedDateTime local = now.atZone(zone);
        switch (window) {
            case MINUTE:
                return fixedLength(local, ChronoUnit.MINUTES);
            case HOUR:
                return fixedLength(local, ChronoUnit.HOURS);
            case DAY: {
                LocalDate day = local.toLocalDate();
                return new Span(day.atStartOfDay(zone).toInstant(), day.plusDays(1).atStartOfDay(zone).toInstant());
            }
            case MONTH: {
                LocalDate first = local.toLocalDate().withDayOfMonth(1);
                return new Span(first.atStartOfDay(zone).toInstant(), first.plusMonths(1).atStartOfDay(zone).toInstant());
            }
            default:
                throw new IllegalArgumentException(window.key() + " is not a calendar window");
        }
    }

    /**
     * When a rule that ran out at {@code now} has room again: the end of its calendar window, {@code now} plus the
     * length of a rolling one, and null for a grant (it never renews) or a concurrency cap (a slot frees when a call
     * ends, not at a time).
     */
    public static Instant nextReset(LimitRule rule, ZoneId zone, Instant now) {
        switch (rule.window()) {
            case GRANT:
            case NONE:
                return null;
            case ROLLING:
                return now.plus(rule.rolling());
            default:
                return nextReset(rule.window(), zone, now);
        }
    }

    /**
     * When the calendar window of this kind that {@code now} falls in ends: the next minute, hour, midnight or first
     * of the month in {@code zone}. What a provider that says "exhausted" without saying until when means.
     */
    public static Instant nextReset(Window window, ZoneId zone, Instant now) {
        return span(window, zone, now).end();
    }

    /**
     * Minutes and hours are cut on the local time line, so a zone with a 30-minute offset gets its own hours. A window
     * lasts the unit on the instant time line, so the repeated hour of a DST fall-back is two separate hours, and
     * never past the next full local unit, so where clocks move by less than the unit (half an hour on Lord Howe
     * Island) the shortened hour ends at the next full local hour and the repeated half hour is a window of its own:
     * the windows tile the time line and each holds the instant it was asked for.
     */
    private static Span fixedLength(ZonedDateTime local, ChronoUnit unit) {
        Instant now = local.toInstant();
        Instant start = local.truncatedTo(unit).toInstant();
        Instant end = fixedEnd(start, local, unit);
        if (!now.isBefore(end)) { // the repeated part of a local hour, lived again after the clocks went back
            start = end;
            end = fixedEnd(start, local, unit);
        }
        return new Span(start, end);
    }

    /** A unit after {@code start}, or the next full local unit after {@code local} if that comes sooner. */
    private static Instant fixedEnd(Instant start, ZonedDateTime local, ChronoUnit unit) {
        // in a repeated stretch, the next full local unit as this pass through it lives it
        Instant nextLocal = ZonedDateTime.ofLocal(local.toLocalDateTime().truncatedTo(unit).plus(1, unit),
                local.getZone(), local.getOffset()).toInstant();
        Instant unitLater = start.plus(Duration.of(1, unit));
        return nextLocal.isBefore(unitLater) ? nextLocal : unitLater;
    }
}
