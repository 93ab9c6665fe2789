package dev.freeway.provider.dialect;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurationTextTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void reads_go_durations_as_groq_sends_them() {
        assertEquals(Optional.of(Duration.ofMinutes(6).plusSeconds(30).plusMillis(96)), DurationText.go("6m30.096s"));
        assertEquals(Optional.of(Duration.ofMinutes(2).plusSeconds(59).plusMillis(560)), DurationText.go("2m59.56s"));
        assertEquals(Optional.of(Duration.ofMillis(7660)), DurationText.go("7.66s"));
        assertEquals(Optional.of(Duration.ofHours(1).plusMinutes(2).plusSeconds(3)), DurationText.go("1h2m3s"));
        assertEquals(Optional.of(Duration.ofMillis(450)), DurationText.go("450ms"));
        assertEquals(Optional.of(Duration.ofNanos(1500)), DurationText.go("1.5us"));
        assertEquals(Optional.of(Duration.ZERO), DurationText.go("0"));
    }

    @Test
    void reads_geminis_retry_delay() {
        assertEquals(Optional.of(Duration.ofSeconds(22)), DurationText.go("22s"));
        assertEquals(Optional.of(Duration.ofMillis(500)), DurationText.go("0.5s"));
    }

    @Test
    void refuses_what_is_not_a_duration() {
        for (String text : new String[] {null, "", "soon", "6m30.096", "1 seconds", "-5s", "1d", "s", "1.s"}) {
            assertEquals(Optional.empty(), DurationText.go(text), String.valueOf(text));
        }
    }

    @Test
    void reads_reset_headers_as_duration_or_bare_seconds() {
        assertEquals(Optional.of(Duration.ofNanos(33_011_382_867_000L)), DurationText.goOrSeconds("33011.382867"));
        assertEquals(Optional.of(Duration.ofMillis(7660)), DurationText.goOrSeconds("7.66s"));
        assertEquals(Optional.empty(), DurationText.goOrSeconds("tomorrow"));
    }

    @Test
    void reads_retry_after_in_seconds() {
        assertEquals(Optional.of(NOW.plusSeconds(30)), DurationText.retryAfter("30", NOW));
        assertEquals(Optional.of(NOW.plusMillis(1500)), DurationText.retryAfter(" 1.5 ", NOW));
    }

    @Test
    void reads_retry_after_as_an_http_date() {
        assertEquals(Optional.of(Instant.parse("2026-11-24T12:05:00Z")),
                DurationText.retryAfter("Tue, 24 Nov 2026 12:05:00 GMT", NOW));
    }

    @Test
    void a_retry_after_date_in_the_past_means_now() {
        assertEquals(Optional.of(NOW), DurationText.retryAfter("Tue, 24 Nov 2026 11:00:00 GMT", NOW));
    }

    @Test
    void garbage_retry_after_is_ignored() {
        for (String text : new String[] {null, "", "later", "Tue, 99 Nov 2026", "-3"}) {
            assertEquals(Optional.empty(), DurationText.retryAfter(text, NOW), String.valueOf(text));
        }
    }

    @Test
    void an_absurd_retry_after_is_capped_instead_of_overflowing() {
        Optional<Instant> until = DurationText.retryAfter("99999999999999999999999", NOW);
        assertEquals(NOW.plus(Duration.ofNanos(Long.MAX_VALUE)), until.orElseThrow());
    }

    @Test
    void reads_retry_after_ms() {
        assertEquals(Optional.of(NOW.plusMillis(1200)), DurationText.retryAfterMillis("1200", NOW));
        assertEquals(Optional.empty(), DurationText.retryAfterMillis("soon", NOW));
    }

    @Test
    void finds_the_wait_named_in_a_message() {
        assertEquals(Optional.of(Duration.ofMinutes(6).plusSeconds(30).plusMillis(96)), DurationText.inMessage(
                "Limit 200000, Used 199893, Requested 1010. Please try again in 6m30.096s. Need more tokens?"));
        assertEquals(Optional.of(Duration.ofSeconds(1)),
                DurationText.inMessage("Organization Rate limit exceeded, please try again after 1 seconds"));
        assertEquals(Optional.of(Duration.ofMillis(37095)), DurationText.inMessage("Please retry in 37.095s."));
        assertEquals(Optional.of(Duration.ofMinutes(5)), DurationText.inMessage("Try again in 5 minutes"));
        assertEquals(Optional.of(Duration.ofMillis(250)), DurationText.inMessage("try again in 250 milliseconds"));
        assertEquals(Optional.of(Duration.ofMinutes(5)), DurationText.inMessage("retry in 5min"));
    }

    @Test
    void a_message_without_a_wait_names_none() {
        assertEquals(Optional.empty(), DurationText.inMessage("The engine is currently overloaded, please try again later"));
        assertEquals(Optional.empty(), DurationText.inMessage(null));
    }

    @Test
    void reads_a_wall_clock_time_in_the_named_zone() {
        assertEquals(Optional.of(Instant.parse("2026-09-08T21:38:28Z")), DurationText.wallClockIn(
                "Usage limit reached for 5 hour. Your limit will reset at 2026-09-09 05:38:28", ZoneId.of("Asia/Shanghai")));
        assertEquals(Optional.empty(), DurationText.wallClockIn("reset at 2026-13-45 99:00:00", ZoneOffset.UTC));
        assertEquals(Optional.empty(), DurationText.wallClockIn("no time here", ZoneOffset.UTC));
    }
}
