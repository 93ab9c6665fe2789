package dev.freeway.provider.dialect;

import dev.freeway.provider.ErrorDialect.ProviderClock;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;
import dev.freeway.provider.UpstreamAnswer;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One answer being classified: the raw answer, its error read defensively, the clock, and the status the rules
 * should reason about. For an error event inside a 200 stream that status comes from the event's own HTTP-like code
 * when it has one; the outcome still reports the 200 that was received.
 */
record Failure(UpstreamAnswer answer, ErrorEnvelope error, ProviderClock clock, int status) {

    static Failure of(UpstreamAnswer answer, ProviderClock clock) {
        ErrorEnvelope error = ErrorEnvelope.read(answer.body());
        return new Failure(answer, error, clock, effectiveStatus(answer.status(), error));
    }

    Instant now() {
        return clock.now();
    }

    boolean inStream() {
        return answer.status() >= 200 && answer.status() < 300;
    }

    /** An outcome of this kind with the provider's message after {@code summary}, scope MODEL, no until or window. */
    Outcome outcome(Kind kind, String summary) {
        String code = providerCode();
        return new Outcome(kind, ReasonText.line(summary, error.message()), null, null, Scope.MODEL, answer.status(),
                code == null ? null : ReasonText.line(code, null));
    }

    /** When {@code Retry-After} (or {@code retry-after-ms}) says to come back. */
    Optional<Instant> retryAfter() {
        Optional<Instant> seconds = DurationText.retryAfter(answer.header("retry-after"), now());
        if (seconds.isPresent()) {
            return seconds;
        }
        return DurationText.retryAfterMillis(answer.header("retry-after-ms"), now());
    }

    /** The wait the provider named, in the header or in its message text; the header wins. */
    Optional<Instant> namedWait() {
        Optional<Instant> header = retryAfter();
        return header.isPresent() ? header : DurationText.inMessage(error.message()).map(now()::plus);
    }

    /** The named wait, or {@code fallback} from now when the provider named none. */
    Instant namedWaitOr(Duration fallback) {
        return namedWait().orElse(now().plus(fallback));
    }

    /** The provider's most telling code: its own code, except that Google's status word beats a bare HTTP number. */
    private String providerCode() {
        if (error.status() != null && (error.code() == null || error.numericCode() >= 100 && error.numericCode() < 600)) {
            return error.status();
        }
        if (error.code() != null) {
            return error.code();
        }
        return error.type();
    }

    /** A stream error event has no HTTP status of its own; an HTTP-like numeric code stands in for it. */
    private static int effectiveStatus(int status, ErrorEnvelope error) {
        if (status < 200 || status >= 300 || !error.found()) {
            return status;
        }
        int code = error.numericCode();
        return code >= 400 && code < 600 ? code : status;
    }
}
