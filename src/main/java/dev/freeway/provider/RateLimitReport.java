package dev.freeway.provider;

import java.time.Instant;

/**
 * What a provider says about its own limits in response headers. Null fields were not reported.
 *
 * @param requestsWindow which window the request figures describe (Groq: day)
 * @param tokensWindow   which window the token figures describe (Groq: minute)
 */
public record RateLimitReport(Long limitRequests, Long remainingRequests, Instant resetRequests, String requestsWindow,
                              Long limitTokens, Long remainingTokens, Instant resetTokens, String tokensWindow) {

    public static final RateLimitReport NONE = new RateLimitReport(null, null, null, null, null, null, null, null);

    public boolean isEmpty() {
        return limitRequests == null && remainingRequests == null && limitTokens == null && remainingTokens == null;
    }
}
