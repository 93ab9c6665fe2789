package dev.freeway.routing;

import dev.freeway.config.FreewayConfig;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * A time-of-day preference: between {@code from} and {@code to} in a zone, some providers go first and some last.
 * A window whose end is before its start spans midnight.
 */
public record ScheduleWindow(LocalTime from, LocalTime to, ZoneId zone, Set<String> prefer, Set<String> avoid) {

    public static List<ScheduleWindow> of(List<FreewayConfig.Schedule> schedules) {
        return schedules.stream().map(s -> new ScheduleWindow(LocalTime.parse(s.from()), LocalTime.parse(s.to()),
                ZoneId.of(s.zone()), Set.copyOf(s.prefer().orElse(List.of())),
                Set.copyOf(s.avoid().orElse(List.of())))).toList();
    }

    public boolean covers(Instant now) {
        LocalTime local = now.atZone(zone).toLocalTime();
        if (from.equals(to)) {
            return true;
        }
        return from.isBefore(to)
                ? !local.isBefore(from) && local.isBefore(to)
                : !local.isBefore(from) || local.isBefore(to);
    }
}
