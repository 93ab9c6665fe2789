package dev.freeway.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Behaves like OpenRouter's {@code :free} models: one request quota for the whole account, days ending at 00:00 UTC,
 * no rate-limit headers on success. A 429 names the bucket ({@code free-models-per-min}, {@code free-models-per-day})
 * and carries {@code X-RateLimit-*} (reset in epoch milliseconds) as headers and again in
 * {@code error.metadata.headers}. Streams open with its keep-alive comment.
 */
final class OpenRouterSimulator extends SimulatedProvider {

    OpenRouterSimulator() {
        super(new SimulatedQuota.Limits(6, 25, 1_000_000, ZoneOffset.UTC, false));
    }

    @Override
    Map<String, String> servedHeaders(SimulatedQuota.Verdict verdict, Instant now) {
        return Map.of();
    }

    @Override
    Refusal refusal(String model, SimulatedQuota.Verdict verdict, Instant now) {
        boolean day = "day".equals(verdict.window());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-RateLimit-Limit", String.valueOf(verdict.limit()));
        headers.put("X-RateLimit-Remaining", "0");
        headers.put("X-RateLimit-Reset", String.valueOf(verdict.resetAt().toEpochMilli()));
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", day
                ? "Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day"
                : "Rate limit exceeded: free-models-per-min. ");
        error.put("code", 429);
        ObjectNode echoed = error.putObject("metadata").putObject("headers");
        headers.forEach(echoed::put);
        headers.put("Retry-After", String.valueOf(secondsUntil(now, verdict.resetAt())));
        return new Refusal(429, headers, json(body));
    }

    @Override
    String streamPreamble() {
        return ": OPENROUTER PROCESSING\n\n";
    }
}
