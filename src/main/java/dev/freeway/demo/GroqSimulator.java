package dev.freeway.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Behaves like GroqCloud's free plan, per model: {@code x-ratelimit-*-requests} describe requests per day and
 * {@code x-ratelimit-*-tokens} tokens per minute, resets as Go durations; a 429 names the limit, "(RPM)" or "(RPD)",
 * and the wait, "Please try again in 13.52s", with {@code retry-after} in seconds.
 */
final class GroqSimulator extends SimulatedProvider {

    GroqSimulator() {
        super(new SimulatedQuota.Limits(4, 20, 6000, ZoneOffset.UTC, true));
    }

    @Override
    Map<String, String> servedHeaders(SimulatedQuota.Verdict verdict, Instant now) {
        SimulatedQuota.Limits limits = quota().limits();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-ratelimit-limit-requests", String.valueOf(limits.perDay()));
        headers.put("x-ratelimit-remaining-requests", String.valueOf(verdict.remainingDay()));
        headers.put("x-ratelimit-reset-requests", goDuration(Duration.between(now, verdict.dayReset())));
        headers.put("x-ratelimit-limit-tokens", String.valueOf(limits.tokensPerMinute()));
        headers.put("x-ratelimit-remaining-tokens", String.valueOf(verdict.remainingTokens()));
        headers.put("x-ratelimit-reset-tokens", goDuration(Duration.between(now, verdict.minuteReset())));
        return headers;
    }

    @Override
    Refusal refusal(String model, SimulatedQuota.Verdict verdict, Instant now) {
        boolean day = "day".equals(verdict.window());
        String wait = goDuration(Duration.between(now, verdict.resetAt()));
        String message = "Rate limit reached for model `" + model + "` in organization `org_demo` service tier"
                + " `on_demand` on requests per " + (day ? "day (RPD)" : "minute (RPM)") + ": Limit " + verdict.limit()
                + ", Used " + verdict.used() + ", Requested 1. Please try again in " + wait
                + ". Visit https://console.groq.com/docs/rate-limits for more information.";
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", "requests").put("code", "rate_limit_exceeded");
        Map<String, String> headers = servedHeaders(verdict, now);
        headers.put("retry-after", String.valueOf(secondsUntil(now, verdict.resetAt())));
        return new Refusal(429, headers, json(body));
    }
}
