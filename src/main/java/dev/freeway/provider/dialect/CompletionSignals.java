package dev.freeway.provider.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;

import java.util.Locale;
import java.util.Set;

/**
 * Reads a successful completion (or one stream chunk) for the failures providers report with HTTP 200: a
 * {@code finish_reason} that says the provider's moderation blocked the answer, or that generation broke.
 */
final class CompletionSignals {

    /** OpenAI's value, and Gemini's native reasons in case its compat layer passes them through unmapped. */
    private static final Set<String> FILTERED = Set.of("content_filter", "safety", "prohibited_content", "blocklist",
            "spii", "recitation", "image_safety");

    private CompletionSignals() {
    }

    /** The outcome a successful body or chunk carries; {@link Outcome#OK} unless it reports a block or a break. */
    static Outcome inspect(JsonNode body) {
        if (body == null || !body.isObject()) {
            return Outcome.OK;
        }
        String blockReason = ErrorEnvelope.text(body.path("promptFeedback").get("blockReason"));
        if (blockReason != null) {
            return of(Kind.CONTENT_FILTERED, "the provider's safety filter blocked the prompt", blockReason);
        }
        Outcome worst = Outcome.OK;
        for (JsonNode choice : choices(body)) {
            Outcome outcome = choiceOutcome(choice);
            if (rank(outcome) > rank(worst)) {
                worst = outcome;
            }
        }
        return worst;
    }

    private static Iterable<JsonNode> choices(JsonNode body) {
        JsonNode choices = body.get("choices");
        if (choices != null && choices.isArray()) {
            return choices;
        }
        JsonNode candidates = body.get("candidates");
        return candidates != null && candidates.isArray() ? candidates : java.util.List.of();
    }

    private static Outcome choiceOutcome(JsonNode choice) {
        String reason = ErrorEnvelope.text(choice.get("finish_reason"));
        if (reason == null) {
            reason = ErrorEnvelope.text(choice.get("finishReason"));
        }
        if (reason == null) {
            return Outcome.OK;
        }
        String finish = reason.toLowerCase(Locale.ROOT);
        if (finish.equals("network_error")) {
            return of(Kind.UPSTREAM_ERROR, "the provider's generation broke off (finish_reason network_error)", reason);
        }
        if (finish.equals("sensitive")) {
            return of(Kind.CONTENT_FILTERED, "the provider's moderation blocked the answer (finish_reason sensitive)",
                    reason);
        }
        if (finish.equals("error")) {
            return of(Kind.UPSTREAM_ERROR, "the provider ended the answer with an error (finish_reason error)", reason);
        }
        if (FILTERED.contains(finish) && !carriesContent(choice)) {
            return of(Kind.CONTENT_FILTERED, "the provider's moderation blocked the answer (finish_reason " + reason + ")",
                    reason);
        }
        return Outcome.OK;
    }

    /** Whether a choice delivered anything: text or tool calls (in message, delta or Gemini content parts). */
    private static boolean carriesContent(JsonNode choice) {
        for (String holder : new String[] {"message", "delta"}) {
            JsonNode message = choice.get(holder);
            if (message != null && message.isObject()) {
                if (ErrorEnvelope.text(message.get("content")) != null && !message.get("content").asText().isBlank()) {
                    return true;
                }
                JsonNode calls = message.get("tool_calls");
                if (calls != null && calls.isArray() && calls.size() > 0) {
                    return true;
                }
            }
        }
        JsonNode parts = choice.path("content").path("parts");
        for (JsonNode part : parts) {
            String text = ErrorEnvelope.text(part.get("text"));
            if (text != null && !text.isBlank()) {
                return true;
            }
        }
        return false;
    }

    private static int rank(Outcome outcome) {
        return switch (outcome.kind()) {
            case OK -> 0;
            case CONTENT_FILTERED -> 1;
            default -> 2;
        };
    }

    private static Outcome of(Kind kind, String reason, String code) {
        return new Outcome(kind, ReasonText.line(reason, null), null, null, Outcome.Scope.MODEL, 200, code);
    }
}
