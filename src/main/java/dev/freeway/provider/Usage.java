package dev.freeway.provider;

import com.fasterxml.jackson.databind.JsonNode;

/** Tokens a provider says a call used. */
public record Usage(long promptTokens, long completionTokens) {

    public static final Usage NONE = new Usage(0, 0);

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /**
     * A provider's {@code usage} object; null when there is none, or when a count in it is not a whole number of
     * zero or more (a negative, a fraction, a string, one past a long): then the call is counted as if the provider
     * had reported nothing, by Freeway's own count, rather than settled with a figure that cannot be one. A count
     * left out is zero, as before.
     */
    public static Usage read(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long prompt = count(usage.get("prompt_tokens"));
        long completion = count(usage.get("completion_tokens"));
        return prompt < 0 || completion < 0 ? null : new Usage(prompt, completion);
    }

    /**
     * A part of a count in the usage's details ({@code prompt_tokens_details.cached_tokens}, say): 0 when absent or
     * not a count, and never more than the whole it is part of.
     */
    public static long part(JsonNode usage, String details, String field, long whole) {
        return Math.max(0, Math.min(whole, count(usage == null ? null : usage.path(details).get(field))));
    }

    /** A count, 0 when absent or null, -1 when it is not a whole number of zero or more that fits a long. */
    private static long count(JsonNode node) {
        if (node == null || node.isNull()) {
            return 0;
        }
        return node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0 ? node.longValue() : -1;
    }
}
