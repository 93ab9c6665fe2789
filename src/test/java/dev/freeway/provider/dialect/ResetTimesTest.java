package dev.freeway.provider.dialect;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import static dev.freeway.provider.dialect.Upstream.PACIFIC;
import static dev.freeway.provider.dialect.Upstream.at;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ResetTimesTest {

    @Test
    void next_pacific_midnight_after_the_clocks_fall_back_is_eight_hours_after_utc_midnight() {
        assertEquals(at("2026-11-02T08:00:00Z"), ResetTimes.nextMidnight(at("2026-11-01T10:00:00Z"), PACIFIC));
    }

    @Test
    void on_the_fall_back_day_the_pacific_day_has_twenty_five_hours() {
        // 01:00 PDT, before the change: the coming midnight is already in PST
        assertEquals(at("2026-11-02T08:00:00Z"), ResetTimes.nextMidnight(at("2026-11-01T08:00:00Z"), PACIFIC));
    }

    @Test
    void on_the_spring_forward_day_the_pacific_day_has_twenty_three_hours() {
        // 01:00 PST, before the change: the coming midnight is in PDT
        assertEquals(at("2026-03-09T07:00:00Z"), ResetTimes.nextMidnight(at("2026-03-08T09:00:00Z"), PACIFIC));
        assertEquals(at("2026-03-08T08:00:00Z"), ResetTimes.nextMidnight(at("2026-03-08T07:30:00Z"), PACIFIC));
    }

    @Test
    void first_of_next_month_rolls_over_the_year() {
        assertEquals(at("2027-01-01T00:00:00Z"), ResetTimes.firstOfNextMonth(at("2026-12-31T23:59:59Z"), ZoneOffset.UTC));
        assertEquals(at("2026-12-01T00:00:00Z"), ResetTimes.firstOfNextMonth(at("2026-11-01T00:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void reads_a_wall_clock_time_in_the_named_zone() {
        assertEquals(Optional.of(at("2026-09-08T21:38:28Z")), ResetTimes.wallClockIn(
                "Usage limit reached for 5 hour. Your limit will reset at 2026-09-09 05:38:28", ZoneId.of("Asia/Shanghai")));
        assertEquals(Optional.empty(), ResetTimes.wallClockIn("reset at 2026-13-45 99:00:00", ZoneOffset.UTC));
        assertEquals(Optional.empty(), ResetTimes.wallClockIn("no time here", ZoneOffset.UTC));
    }
}
