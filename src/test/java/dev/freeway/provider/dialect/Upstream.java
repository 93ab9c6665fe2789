package dev.freeway.provider.dialect;

import dev.freeway.provider.ErrorDialect.ProviderClock;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;
import dev.freeway.provider.UpstreamAnswer;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Builds the answers and clocks the dialect tests classify. */
final class Upstream {

    static final ZoneId UTC = ZoneId.of("UTC");
    static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");

    private Upstream() {
    }

    /** An answer with lower-cased header names, given as name, value, name, value, ... */
    static UpstreamAnswer answer(int status, String body, String... headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            map.put(headers[i].toLowerCase(Locale.ROOT), List.of(headers[i + 1]));
        }
        return new UpstreamAnswer(status, map, body);
    }

    static ProviderClock clock(String instant, ZoneId zone) {
        return new ProviderClock(Instant.parse(instant), zone);
    }

    static ProviderClock utcClock(String instant) {
        return clock(instant, UTC);
    }

    static Instant at(String instant) {
        return Instant.parse(instant);
    }

    /** Asserts what routing reads from an outcome: kind, window, scope and the exact until. */
    static void assertOutcome(Outcome outcome, Kind kind, String window, Scope scope, Instant until) {
        assertAll(outcome.reason(),
                () -> assertEquals(kind, outcome.kind(), "kind"),
                () -> assertEquals(window, outcome.window(), "window"),
                () -> assertEquals(scope, outcome.scope(), "scope"),
                () -> assertEquals(until, outcome.until(), "until"));
    }

    /** Asserts the kind alone, for outcomes whose window, scope and until carry no meaning. */
    static void assertKind(Outcome outcome, Kind kind) {
        assertEquals(kind, outcome.kind(), outcome.reason());
    }
}
