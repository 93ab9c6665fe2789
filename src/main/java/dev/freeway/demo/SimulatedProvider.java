package dev.freeway.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One simulated free tier: the limits it keeps and how it talks about them, in its real provider's words. The answer
 * itself is the same for every simulator ({@link DemoAnswer}).
 */
abstract class SimulatedProvider {

    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer other than a completion. */
    record Refusal(int status, Map<String, String> headers, String body) {
    }

    private final SimulatedQuota quota;

    SimulatedProvider(SimulatedQuota.Limits limits) {
        this.quota = new SimulatedQuota(limits);
    }

    /** The simulator for a demo catalog entry, if it has one. */
    static Optional<SimulatedProvider> forEntry(String providerId) {
        return Optional.ofNullable(switch (providerId) {
            case "demo-groq" -> new GroqSimulator();
            case "demo-gemini" -> new GeminiSimulator();
            case "demo-openrouter" -> new OpenRouterSimulator();
            default -> null;
        });
    }

    SimulatedQuota quota() {
        return quota;
    }

    /** Headers of a served answer (Groq's x-ratelimit-*; none for Gemini and OpenRouter). */
    abstract Map<String, String> servedHeaders(SimulatedQuota.Verdict verdict, Instant now);

    /** The provider's own 429 for a window that ran out. */
    abstract Refusal refusal(String model, SimulatedQuota.Verdict verdict, Instant now);

    /** What the provider sends on a stream before its first chunk (OpenRouter's keep-alive comment). */
    String streamPreamble() {
        return "";
    }

    static String json(ObjectNode node) {
        return node.toString();
    }

    /** Whole seconds until {@code then}, at least 1, as Retry-After says them. */
    static long secondsUntil(Instant now, Instant then) {
        return Math.max(1, (Duration.between(now, then).toMillis() + 999) / 1000);
    }

    /** A Go duration, as Groq writes waits and resets: 6m30.096s, 13.52s, 5h2m3s. */
    static String goDuration(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        StringBuilder text = new StringBuilder();
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append('m');
        }
        long wholeSeconds = millis / 1000 % 60;
        long fraction = millis % 1000;
        text.append(wholeSeconds);
        if (fraction > 0) {
            text.append('.').append(String.format("%03d", fraction).replaceAll("0+$", ""));
        }
        return text.append('s').toString();
    }
}
