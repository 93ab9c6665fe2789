package dev.freeway.provider.dialect;

import dev.freeway.provider.ErrorDialect.ProviderClock;
import dev.freeway.provider.UpstreamAnswer;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
}
