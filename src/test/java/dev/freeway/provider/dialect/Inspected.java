package dev.freeway.provider.dialect;

import dev.freeway.provider.ErrorDialect.ProviderClock;
import dev.freeway.provider.FamilyDialect;
import dev.freeway.provider.Outcome;

/** A dialect's inspection of a body or payload given as text, read the way a stream's payloads are. */
final class Inspected {

    private Inspected() {
    }

    static Outcome of(FamilyDialect dialect, String text, ProviderClock clock) {
        return dialect.inspect(StreamEvents.parse(text), text, clock);
    }
}
