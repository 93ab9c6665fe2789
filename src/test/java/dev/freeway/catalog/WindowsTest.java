package dev.freeway.catalog;

import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.catalog.LimitRule.Scope;
import dev.freeway.catalog.LimitRule.Window;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pins window arithmetic with fixed instants: the boundaries users see when a provider's quota resets. */
class WindowsTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");

    private static Windows.Span span(Window window, ZoneId zone, String now) {
        return Windows.span(window, zone, Instant.parse(now));
    }

    private static void assertSpan(String start, String end, Windows.Span span) {
        assertEquals(Instant.parse(start), span.start(), "start");
        assertEquals(Instant.parse(end), span.end(), "end");
    }

    @Test
    void a_minute_ends_at_the_next_full_minute_and_the_last_millisecond_still_belongs_to_it() {
        assertSpan("2026-01-31T23:59:00Z", "2026-02-01T00:00:00Z", span(Window.MINUTE, UTC, "2026-01-31T23:59:59.999Z"));
        assertSpan("2026-02-01T00:00:00Z", "2026-02-01T00:01:00Z", span(Window.MINUTE, UTC, "2026-02-01T00:00:00Z"));
        assertSpan("2026-02-01T07:59:00Z", "2026-02-01T08:00:00Z", span(Window.MINUTE, PACIFIC, "2026-02-01T07:59:30Z"));
    }

    @Test
    void an_hour_in_a_half_hour_zone_starts_at_half_past_utc() {
        assertSpan("2026-05-10T04:30:00Z", "2026-05-10T05:30:00Z",
                span(Window.HOUR, ZoneId.of("Asia/Kolkata"), "2026-05-10T05:10:00Z"));
    }

    @Test
    void a_utc_day_runs_midnight_to_midnight_utc() {
        assertSpan("2026-07-14T00:00:00Z", "2026-07-15T00:00:00Z", span(Window.DAY, UTC, "2026-07-14T23:59:59Z"));
        assertSpan("2026-07-15T00:00:00Z", "2026-07-16T00:00:00Z", span(Window.DAY, UTC, "2026-07-15T00:00:00Z"));
    }

    @Test
    void a_gemini_day_resets_at_midnight_pacific_not_utc() {
        // 06:59:59Z on 14 July is still 13 July in Los Angeles (PDT, UTC-7).
        assertSpan("2026-07-13T07:00:00Z", "2026-07-14T07:00:00Z", span(Window.DAY, PACIFIC, "2026-07-14T06:59:59Z"));
        assertSpan("2026-07-14T07:00:00Z", "2026-07-15T07:00:00Z", span(Window.DAY, PACIFIC, "2026-07-14T07:00:00Z"));
        // In winter (PST, UTC-8) the same midnight is an hour later in UTC.
        assertSpan("2026-01-10T08:00:00Z", "2026-01-11T08:00:00Z", span(Window.DAY, PACIFIC, "2026-01-10T12:00:00Z"));
    }

    @Test
    void the_pacific_day_clocks_spring_forward_is_23_hours_long() {
        Windows.Span day = span(Window.DAY, PACIFIC, "2026-03-08T12:00:00Z");
        assertSpan("2026-03-08T08:00:00Z", "2026-03-09T07:00:00Z", day);
        assertEquals(Duration.ofHours(23), Duration.between(day.start(), day.end()));
    }

    @Test
    void the_pacific_day_clocks_fall_back_is_25_hours_long() {
        Windows.Span day = span(Window.DAY, PACIFIC, "2026-11-01T20:00:00Z");
        assertSpan("2026-11-01T07:00:00Z", "2026-11-02T08:00:00Z", day);
        assertEquals(Duration.ofHours(25), Duration.between(day.start(), day.end()));
    }

    @Test
    void the_repeated_hour_of_a_fall_back_is_two_separate_hours() {
        // 01:30 PDT and 01:30 PST on 1 November 2026 are an hour apart and must not share a window.
        Windows.Span first = span(Window.HOUR, PACIFIC, "2026-11-01T08:30:00Z");
        Windows.Span second = span(Window.HOUR, PACIFIC, "2026-11-01T09:30:00Z");
        assertSpan("2026-11-01T08:00:00Z", "2026-11-01T09:00:00Z", first);
        assertSpan("2026-11-01T09:00:00Z", "2026-11-01T10:00:00Z", second);
    }

    /** Lord Howe Island moves its clocks by half an hour: hours there must still tile the time line, none skipped. */
    private static final ZoneId LORD_HOWE = ZoneId.of("Australia/Lord_Howe");

    @Test
    void when_clocks_fall_back_half_an_hour_the_repeated_half_hour_is_a_window_of_its_own() {
        // 5 April 2026: 02:00 (+11:00) becomes 01:30 (+10:30) at 15:00Z; 01:30 to 02:00 is lived twice.
        assertSpan("2026-04-04T14:00:00Z", "2026-04-04T15:00:00Z", span(Window.HOUR, LORD_HOWE, "2026-04-04T14:40:00Z"));
        assertSpan("2026-04-04T15:00:00Z", "2026-04-04T15:30:00Z", span(Window.HOUR, LORD_HOWE, "2026-04-04T15:10:00Z"));
        assertSpan("2026-04-04T15:00:00Z", "2026-04-04T15:30:00Z", span(Window.HOUR, LORD_HOWE, "2026-04-04T15:29:59Z"));
        assertSpan("2026-04-04T15:30:00Z", "2026-04-04T16:30:00Z", span(Window.HOUR, LORD_HOWE, "2026-04-04T15:30:00Z"));
    }

    @Test
    void when_clocks_spring_forward_half_an_hour_the_shortened_hour_ends_at_the_next_full_local_hour() {
        // 4 October 2026: 02:00 (+10:30) becomes 02:30 (+11:00) at 15:30Z; the 02 hour lasts 30 minutes.
        assertSpan("2026-10-03T14:30:00Z", "2026-10-03T15:30:00Z", span(Window.HOUR, LORD_HOWE, "2026-10-03T15:29:59Z"));
        assertSpan("2026-10-03T15:30:00Z", "2026-10-03T16:00:00Z", span(Window.HOUR, LORD_HOWE, "2026-10-03T15:40:00Z"));
        assertSpan("2026-10-03T16:00:00Z", "2026-10-03T17:00:00Z", span(Window.HOUR, LORD_HOWE, "2026-10-03T16:10:00Z"));
    }

    @Test
    void every_window_holds_the_instant_it_was_asked_for_and_the_next_starts_where_it_ends() {
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        Instant to = Instant.parse("2027-01-01T00:00:00Z");
        for (ZoneId zone : List.of(LORD_HOWE, PACIFIC, ZoneId.of("Asia/Kolkata"), ZoneId.of("Europe/Dublin"))) {
            for (Window window : List.of(Window.HOUR, Window.DAY, Window.MONTH)) {
                assertTiles(window, zone, from, to, Duration.ofMinutes(10)); // the shortest of these is 30 minutes
            }
            for (var change = zone.getRules().nextTransition(from); change != null && change.getInstant().isBefore(to);
                 change = zone.getRules().nextTransition(change.getInstant())) {
                Instant at = change.getInstant();
                assertTiles(Window.MINUTE, zone, at.minus(Duration.ofHours(2)), at.plus(Duration.ofHours(2)),
                        Duration.ofSeconds(7));
                assertTiles(Window.HOUR, zone, at.minus(Duration.ofHours(3)), at.plus(Duration.ofHours(3)),
                        Duration.ofSeconds(61));
            }
        }
    }

    /** Stepping from {@code from} to {@code to}, each window holds the step and the next begins where it ends. */
    private static void assertTiles(Window window, ZoneId zone, Instant from, Instant to, Duration step) {
        Windows.Span span = Windows.span(window, zone, from);
        for (Instant now = from; now.isBefore(to); now = now.plus(step)) {
            if (!now.isBefore(span.end())) {
                Windows.Span next = Windows.span(window, zone, now);
                assertEquals(span.end(), next.start(),
                        zone + " " + window + " at " + now + ": starts where " + span + " ended");
                span = next;
            }
            assertTrue(!now.isBefore(span.start()) && now.isBefore(span.end()),
                    zone + " " + window + " at " + now + ": " + span);
        }
    }

    @Test
    void the_hour_after_spring_forward_starts_at_three_local() {
        // 02:00 PST jumps to 03:00 PDT: 10:30Z is 03:30 PDT and its hour began at 10:00Z.
        assertSpan("2026-03-08T10:00:00Z", "2026-03-08T11:00:00Z", span(Window.HOUR, PACIFIC, "2026-03-08T10:30:00Z"));
        assertSpan("2026-03-08T09:00:00Z", "2026-03-08T10:00:00Z", span(Window.HOUR, PACIFIC, "2026-03-08T09:59:59Z"));
    }

    @Test
    void a_month_follows_the_calendar_in_the_zone() {
        assertSpan("2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z", span(Window.MONTH, UTC, "2026-02-28T23:59:59Z"));
        assertSpan("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", span(Window.MONTH, UTC, "2026-03-01T00:00:00Z"));
        // 1 March 07:59Z is still 28 February in Los Angeles; the March window there starts at 08:00Z (PST)
        // and ends on 1 April at 07:00Z (PDT), an hour shorter than 31 days.
        assertSpan("2026-02-01T08:00:00Z", "2026-03-01T08:00:00Z", span(Window.MONTH, PACIFIC, "2026-03-01T07:59:59Z"));
        assertSpan("2026-03-01T08:00:00Z", "2026-04-01T07:00:00Z", span(Window.MONTH, PACIFIC, "2026-03-01T08:00:00Z"));
    }

    @Test
    void a_grant_lasts_through_its_last_day_in_the_provider_zone_and_then_is_over() {
        LimitRule grant = new LimitRule(Metric.TOKENS, Window.GRANT, Scope.MODEL, 1_000_000, null,
                LocalDate.parse("2027-02-22"));
        ZoneId singapore = ZoneId.of("Asia/Singapore");
        Windows.Span span = Windows.span(grant, singapore, Instant.parse("2026-11-24T10:00:00Z"));
        assertEquals(Instant.parse("2027-02-22T16:00:00Z"), span.end());
        assertFalse(span.over(Instant.parse("2027-02-22T15:59:59Z")));
        assertTrue(span.over(Instant.parse("2027-02-22T16:00:00Z")));
        assertNull(Windows.nextReset(grant, singapore, Instant.parse("2027-02-22T16:00:00Z")), "a grant never renews");
    }

    @Test
    void a_grant_without_a_known_expiry_is_never_over() {
        LimitRule grant = LimitRule.of(Metric.TOKENS, Window.GRANT, Scope.MODEL, 1_000_000);
        Windows.Span span = Windows.span(grant, UTC, Instant.parse("2030-01-01T00:00:00Z"));
        assertNull(span.end());
        assertFalse(span.over(Instant.parse("2099-01-01T00:00:00Z")));
    }

    @Test
    void next_reset_is_the_window_end_or_the_rolling_length_from_now() {
        Instant now = Instant.parse("2026-07-14T06:59:59Z");
        assertEquals(Instant.parse("2026-07-14T07:00:00Z"),
                Windows.nextReset(LimitRule.of(Metric.REQUESTS, Window.DAY, Scope.MODEL, 20), PACIFIC, now));
        LimitRule rolling = new LimitRule(Metric.TOKENS, Window.ROLLING, Scope.ACCOUNT, 60_000, Duration.ofSeconds(60), null);
        assertEquals(now.plusSeconds(60), Windows.nextReset(rolling, UTC, now));
        assertNull(Windows.nextReset(LimitRule.of(Metric.CONCURRENT_REQUESTS, Window.NONE, Scope.ACCOUNT, 1), UTC, now));
    }

    @Test
    void the_next_pacific_midnight_after_the_clocks_fall_back_is_eight_hours_after_utc_midnight() {
        assertEquals(Instant.parse("2026-11-02T08:00:00Z"),
                Windows.nextReset(Window.DAY, PACIFIC, Instant.parse("2026-11-01T10:00:00Z")));
        // 01:00 PDT, before the change: the coming midnight is already in PST, 25 hours after the last one
        assertEquals(Instant.parse("2026-11-02T08:00:00Z"),
                Windows.nextReset(Window.DAY, PACIFIC, Instant.parse("2026-11-01T08:00:00Z")));
    }

    @Test
    void on_the_spring_forward_day_the_next_pacific_midnight_is_in_daylight_time() {
        assertEquals(Instant.parse("2026-03-09T07:00:00Z"),
                Windows.nextReset(Window.DAY, PACIFIC, Instant.parse("2026-03-08T09:00:00Z")));
        assertEquals(Instant.parse("2026-03-08T08:00:00Z"),
                Windows.nextReset(Window.DAY, PACIFIC, Instant.parse("2026-03-08T07:30:00Z")));
    }

    @Test
    void the_first_of_next_month_rolls_over_the_year() {
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"),
                Windows.nextReset(Window.MONTH, UTC, Instant.parse("2026-12-31T23:59:59Z")));
        assertEquals(Instant.parse("2026-12-01T00:00:00Z"),
                Windows.nextReset(Window.MONTH, UTC, Instant.parse("2026-11-01T00:00:00Z")));
    }
}
