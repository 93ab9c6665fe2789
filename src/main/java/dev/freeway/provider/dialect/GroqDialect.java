package dev.freeway.provider.dialect;

import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;
import dev.freeway.provider.RateLimitReport;
import dev.freeway.provider.UpstreamAnswer;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GroqCloud. Limits are per model per organization; a 429 names the limit hit, "(RPM|RPD|TPM|TPD)", and the wait,
 * "Please try again in 6m30.096s". Per-day limits park the model for that long, per-minute ones are transient.
 * Headers: {@code x-ratelimit-*-requests} always describe requests per <em>day</em>, {@code x-ratelimit-*-tokens}
 * tokens per <em>minute</em>; resets are Go durations.
 */
public final class GroqDialect extends OpenAiDialect {

    private static final Pattern LIMIT = Pattern.compile("\\((RPM|RPD|TPM|TPD)\\)");

    @Override
    Outcome family(Failure f) {
        if (f.status() == 429) {
            return rateLimited(f);
        }
        if (f.status() == 413 && (f.error().says("tokens per minute") || f.error().says("(TPM)"))) {
            // The request is larger than this model's whole per-minute token budget, so it can never run here;
            // it is still a valid request that a model with a larger budget (another provider) can serve.
            // CLIENT_ERROR would end the request with no fallback, so it is reported as "does not fit this model",
            // naming the window it does not fit: it says nothing of other models' context windows.
            return f.outcome(Kind.CONTEXT_TOO_LONG,
                    "the request is larger than this model's tokens-per-minute limit and can never fit here")
                    .window("minute");
        }
        if (f.error().codeIs("model_decommissioned")) {
            return f.outcome(Kind.CLIENT_ERROR, "Groq has decommissioned this model");
        }
        return null;
    }

    @Override
    public RateLimitReport report(UpstreamAnswer answer, Instant now) {
        return RateLimitHeaders.read(answer, now, "requests", "day", "tokens", "minute");
    }

    private static Outcome rateLimited(Failure f) {
        Matcher limit = LIMIT.matcher(f.error().message() == null ? "" : f.error().message());
        if (!limit.find()) {
            return null;
        }
        String which = limit.group(1);
        Instant until = DurationText.inMessage(f.error().message()).map(f.now()::plus)
                .or(f::retryAfter).orElse(null);
        String metric = which.startsWith("R") ? "requests" : "tokens";
        if (which.endsWith("D")) {
            return f.outcome(Kind.EXHAUSTED, metric + " per day (" + which + ") used up for this model")
                    .window("day").scope(Scope.MODEL).until(until);
        }
        return f.outcome(Kind.TRANSIENT, metric + " per minute (" + which + ") reached for this model")
                .window("minute").scope(Scope.MODEL).until(until);
    }
}
