package dev.freeway.provider.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.catalog.Windows;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Google Gemini (native and OpenAI-compatible endpoints). Quotas are per project and per model; the 429 body's
 * {@code QuotaFailure.violations[].quotaId} says which window ran out: a {@code PerDay} quota is done until midnight
 * in the provider's reset zone (America/Los_Angeles), a {@code PerMinute} one frees up after {@code RetryInfo.retryDelay}.
 * The compat endpoint wraps errors in an array and may drop the details. An invalid key is a 400, not a 401.
 */
public final class GeminiDialect extends OpenAiDialect {

    /** Wait for a 429 that names neither a quota nor a delay: Google's short windows are per minute. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);
    private static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");

    private final Duration defaultWait;

    public GeminiDialect() {
        this(DEFAULT_WAIT);
    }

    /** @param defaultWait how long a 429 without quota details or retry delay keeps the model aside */
    public GeminiDialect(Duration defaultWait) {
        this.defaultWait = Objects.requireNonNull(defaultWait, "defaultWait");
    }

    @Override
    Outcome family(Failure f) {
        ErrorEnvelope error = f.error();
        if (apiKeyRejected(error)) {
            return f.outcome(Kind.CREDENTIALS_REJECTED, "Gemini rejected the API key");
        }
        if (f.status() == 429 || "RESOURCE_EXHAUSTED".equals(error.status())) {
            return quota(f);
        }
        return null;
    }

    private Outcome quota(Failure f) {
        List<String> quotaIds = quotaIds(f.error());
        Optional<Instant> retryDelay = DurationText.go(ErrorEnvelope.text(f.error().detail("RetryInfo").get("retryDelay")))
                .map(f.now()::plus);
        for (String quotaId : quotaIds) {
            if (quotaId.contains("PerDay")) {
                ZoneId zone = f.clock().resetZone() != null ? f.clock().resetZone() : PACIFIC;
                return f.outcome(Kind.EXHAUSTED, "daily quota " + quotaId + " used up for this model until midnight "
                                + zone.getId())
                        .window("day").scope(Scope.MODEL).until(Windows.nextReset(Window.DAY, zone, f.now()));
            }
        }
        Instant until = retryDelay.or(f::retryAfter).orElse(f.now().plus(defaultWait));
        for (String quotaId : quotaIds) {
            if (quotaId.contains("PerMinute")) {
                return f.outcome(Kind.TRANSIENT, "per-minute quota " + quotaId + " reached for this model")
                        .window("minute").scope(Scope.MODEL).until(until);
            }
        }
        return f.outcome(Kind.TRANSIENT, "rate limited; Gemini did not say which quota").scope(Scope.MODEL)
                .until(until);
    }

    private static List<String> quotaIds(ErrorEnvelope error) {
        List<String> ids = new ArrayList<>();
        for (JsonNode violation : error.detail("QuotaFailure").path("violations")) {
            String id = ErrorEnvelope.text(violation.get("quotaId"));
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static boolean apiKeyRejected(ErrorEnvelope error) {
        String reason = ErrorEnvelope.text(error.detail("ErrorInfo").get("reason"));
        return "API_KEY_INVALID".equals(reason) || "API_KEY_EXPIRED".equals(reason)
                || error.says("API key not valid") || error.says("API key expired");
    }
}
