package dev.freeway.provider.dialect;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Calendar answers to "when does this provider's window open again", computed in the provider's zone with
 * java.time so daylight-saving days are 23 or 25 hours long, as they are on the provider's clock.
 */
public final class ResetTimes {

    private static final Pattern WALL_CLOCK = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}:\\d{2})");

    private ResetTimes() {
    }

    /** The next local midnight after {@code now} in {@code zone}. */
    public static Instant nextMidnight(Instant now, ZoneId zone) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        return today.plusDays(1).atStartOfDay(zone).toInstant();
    }

    /** Midnight at the start of the first day of the month after {@code now}'s month in {@code zone}. */
    public static Instant firstOfNextMonth(Instant now, ZoneId zone) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        return today.withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant();
    }

    /** The first {@code yyyy-MM-dd HH:mm:ss} wall-clock time in {@code text}, read in {@code zone}. */
    public static Optional<Instant> wallClockIn(String text, ZoneId zone) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher found = WALL_CLOCK.matcher(text);
        if (!found.find()) {
            return Optional.empty();
        }
        try {
            LocalDateTime local = LocalDateTime.parse(found.group(1) + "T" + found.group(2),
                    DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            return Optional.of(local.atZone(zone).toInstant());
        } catch (DateTimeParseException impossibleDate) {
            return Optional.empty();
        }
    }
}
