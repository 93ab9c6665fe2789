package dev.freeway.status;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A time range of the usage view, in the page's one time zone: today by hour, or the last 7 or 30 days by day
 * (today included). The ledger keeps 35 days, so 30 always fit.
 */
public enum UsageRange {
    TODAY("today", 1), WEEK("7d", 7), MONTH("30d", 30);

    private final String key;
    private final int days;

    UsageRange(String key, int days) {
        this.key = key;
        this.days = days;
    }

    public String key() {
        return key;
    }

    /** The range a query names; today for anything else, so a stale link still shows a page. */
    public static UsageRange parse(String text) {
        return named(text).orElse(TODAY);
    }

    /** The range a query names (today when it names none); empty for a name that is not a range. */
    public static Optional<UsageRange> named(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(TODAY);
        }
        for (UsageRange range : values()) {
            if (range.key.equalsIgnoreCase(text.trim())) {
                return Optional.of(range);
            }
        }
        return Optional.empty();
    }

    /** Hours for today, days otherwise. */
    boolean hourly() {
        return this == TODAY;
    }

    /** Each bucket's start: every hour of today in {@code zone} (23 or 25 on clock-change days), or each day. */
    List<Instant> buckets(Instant now, ZoneId zone) {
        ZonedDateTime today = now.atZone(zone).toLocalDate().atStartOfDay(zone);
        List<Instant> starts = new ArrayList<>();
        if (hourly()) {
            ZonedDateTime end = today.plusDays(1);
            for (Instant hour = today.toInstant(); hour.isBefore(end.toInstant()); hour = hour.plus(Duration.ofHours(1))) {
                starts.add(hour);
            }
            return starts;
        }
        for (int back = days - 1; back >= 0; back--) {
            starts.add(today.minusDays(back).toInstant());
        }
        return starts;
    }

    /** The zone a query names, UTC for anything unknown. */
    public static ZoneId zone(String text) {
        return zoneNamed(text).orElseGet(() -> ZoneId.of("UTC"));
    }

    /** The zone a query names (UTC when it names none); empty for a name that is not a zone. */
    public static Optional<ZoneId> zoneNamed(String text) {
        try {
            return Optional.of(text == null || text.isBlank() ? ZoneId.of("UTC") : ZoneId.of(text.trim()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return key.toLowerCase(Locale.ROOT);
    }
}
