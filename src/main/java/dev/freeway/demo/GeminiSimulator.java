package dev.freeway.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/**
 * Behaves like the Gemini API's free tier behind its OpenAI-compatible endpoint, per model, days ending at midnight
 * Pacific time. It sends no rate-limit headers. A spent minute gets the compat endpoint's bare, array-wrapped 429;
 * a spent day the full error with {@code QuotaFailure} (a {@code PerDay} quota id) and {@code RetryInfo}.
 */
final class GeminiSimulator extends SimulatedProvider {

    private static final String COMPAT_429 = "[{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted"
            + " (e.g. check quota).\",\"status\":\"RESOURCE_EXHAUSTED\"}}]";

    GeminiSimulator() {
        super(new SimulatedQuota.Limits(5, 20, 250_000, ZoneId.of("America/Los_Angeles"), true));
    }

    @Override
    Map<String, String> servedHeaders(SimulatedQuota.Verdict verdict, Instant now) {
        return Map.of();
    }

    @Override
    Refusal refusal(String model, SimulatedQuota.Verdict verdict, Instant now) {
        if (!"day".equals(verdict.window())) {
            return new Refusal(429, Map.of(), COMPAT_429);
        }
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", 429).put("message", "You exceeded your current quota, please check your plan and billing"
                + " details. For more information on this error, head to:"
                + " https://ai.google.dev/gemini-api/docs/rate-limits.").put("status", "RESOURCE_EXHAUSTED");
        var details = error.putArray("details");
        ObjectNode failure = details.addObject().put("@type", "type.googleapis.com/google.rpc.QuotaFailure");
        ObjectNode violation = failure.putArray("violations").addObject()
                .put("quotaMetric", "generativelanguage.googleapis.com/generate_content_free_tier_requests")
                .put("quotaId", "GenerateRequestsPerDayPerProjectPerModel-FreeTier");
        violation.putObject("quotaDimensions").put("location", "global").put("model", model);
        violation.put("quotaValue", String.valueOf(verdict.limit()));
        details.addObject().put("@type", "type.googleapis.com/google.rpc.Help").putArray("links").addObject()
                .put("description", "Learn more about Gemini API quotas")
                .put("url", "https://ai.google.dev/gemini-api/docs/rate-limits");
        details.addObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo")
                .put("retryDelay", secondsUntil(now, verdict.resetAt()) + "s");
        return new Refusal(429, Map.of(), json(body));
    }
}
