package dev.freeway.provider.dialect;

import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.RateLimitReport;
import dev.freeway.provider.UpstreamAnswer;

import java.time.Instant;

/**
 * Mistral La Plateforme. Errors are OpenAI-style objects at the top level ({@code "object":"error"}); code 3810 is
 * a model at capacity, which passes.
 */
public final class MistralDialect extends OpenAiDialect {

    @Override
    Outcome family(Failure f) {
        if (f.error().codeIs("3810") || f.error().typeIs("engine_max_pending_tokens")) {
            return f.outcome(Kind.TRANSIENT, "the Mistral model is at capacity").until(f.namedWait().orElse(null));
        }
        return null;
    }

    /**
     * Reads {@code x-ratelimit-*-req-minute} and {@code x-ratelimit-*-tokens-minute}; the names come from client
     * code, not Mistral's docs, and carry no reset time.
     */
    @Override
    public RateLimitReport report(UpstreamAnswer answer, Instant now) {
        return RateLimitHeaders.read(answer, now, "req-minute", "minute", "tokens-minute", "minute");
    }
}
