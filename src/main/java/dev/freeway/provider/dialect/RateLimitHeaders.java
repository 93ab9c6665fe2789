package dev.freeway.provider.dialect;

import dev.freeway.provider.RateLimitReport;
import dev.freeway.provider.UpstreamAnswer;

import java.time.Instant;

/**
 * Reads the {@code x-ratelimit-limit-*}, {@code x-ratelimit-remaining-*} and {@code x-ratelimit-reset-*} header
 * triples. The reset is a duration from now: a Go duration ({@code 2m59.56s}) or bare seconds. A value that cannot be
 * read is left out rather than guessed.
 */
final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    /**
     * @param requests       suffix of the request headers ({@code requests}, {@code requests-day})
     * @param requestsWindow the window those figures describe, or null when unknown
     * @param tokens         suffix of the token headers ({@code tokens}, {@code tokens-minute})
     * @param tokensWindow   the window those figures describe, or null when unknown
     */
    static RateLimitReport read(UpstreamAnswer answer, Instant now, String requests, String requestsWindow,
                                String tokens, String tokensWindow) {
        Long limitRequests = number(answer.header("x-ratelimit-limit-" + requests));
        Long remainingRequests = number(answer.header("x-ratelimit-remaining-" + requests));
        Instant resetRequests = reset(answer.header("x-ratelimit-reset-" + requests), now);
        Long limitTokens = number(answer.header("x-ratelimit-limit-" + tokens));
        Long remainingTokens = number(answer.header("x-ratelimit-remaining-" + tokens));
        Instant resetTokens = reset(answer.header("x-ratelimit-reset-" + tokens), now);
        boolean anyRequests = limitRequests != null || remainingRequests != null || resetRequests != null;
        boolean anyTokens = limitTokens != null || remainingTokens != null || resetTokens != null;
        if (!anyRequests && !anyTokens) {
            return RateLimitReport.NONE;
        }
        return new RateLimitReport(limitRequests, remainingRequests, resetRequests, anyRequests ? requestsWindow : null,
                limitTokens, remainingTokens, resetTokens, anyTokens ? tokensWindow : null);
    }

    private static Long number(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException notWhole) {
            return null;
        }
    }

    private static Instant reset(String value, Instant now) {
        return DurationText.goOrSeconds(value).map(now::plus).orElse(null);
    }
}
