package dev.freeway.status;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How status writes a time: ISO-8601 with the offset of the zone it is shown in. */
final class Times {

    private Times() {
    }

    static String at(Instant instant, ZoneId zone) {
        return instant == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(zone));
    }

    static double percent(long part, long whole) {
        return whole <= 0 ? (part > 0 ? 100.0 : 0.0) : Math.round(part * 1000.0 / whole) / 10.0;
    }
}
