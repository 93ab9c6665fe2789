package dev.freeway.provider.dialect;

import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;
import dev.freeway.provider.RateLimitReport;
import dev.freeway.provider.UpstreamAnswer;

import java.time.Instant;
import java.util.List;

/**
 * Cerebras Inference. Token buckets refill continuously, so a 429 is transient unless it names a daily bucket.
 * Context-length failures come as 400 or 413, sometimes with no body at all.
 */
public final class CerebrasDialect extends OpenAiDialect {

    private static final List<String> DAILY = List.of("per day", "per-day", "tokens_per_day", "requests_per_day",
            "daily");
    private static final List<String> LENGTH = List.of("context", "length", "too long", "too large");

    @Override
    Outcome family(Failure f) {
        ErrorEnvelope error = f.error();
        if (f.status() == 429) {
            if (saysAny(error, DAILY)) {
                Instant until = f.retryAfter().orElse(dailyReset(f));
                return f.outcome(Kind.EXHAUSTED, "a daily Cerebras bucket is empty for this model")
                        .window("day").scope(Scope.MODEL).until(until);
            }
            return f.outcome(Kind.TRANSIENT, "a Cerebras token bucket is empty for this model; it refills continuously")
                    .scope(Scope.MODEL).until(f.namedWait().orElse(null));
        }
        if (f.status() == 400 || f.status() == 413) {
            if (noBody(error) || saysAny(error, LENGTH)) {
                // The reference records context-length failures arriving as a bare 400 or 413 without a body.
                return f.outcome(Kind.CONTEXT_TOO_LONG, "the prompt does not fit this model (" + f.status() + ")");
            }
            return f.outcome(Kind.CLIENT_ERROR, "Cerebras refused the request (" + f.status() + ")");
        }
        return null;
    }

    /**
     * Cerebras is said to send {@code x-ratelimit-*-requests-day} and {@code x-ratelimit-*-tokens-minute}. These
     * names come from client code, not from current Cerebras docs, so they are uncertain.
     */
    @Override
    public RateLimitReport report(UpstreamAnswer answer, Instant now) {
        return RateLimitHeaders.read(answer, now, "requests-day", "day", "tokens-minute", "minute");
    }

    private Instant dailyReset(Failure f) {
        RateLimitReport report = report(f.answer(), f.now());
        return report.resetRequests();
    }

    private static boolean noBody(ErrorEnvelope error) {
        return error.message() == null || error.says("(no body)");
    }
}
