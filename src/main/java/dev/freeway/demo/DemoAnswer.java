package dev.freeway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.quota.TokenEstimator;

import java.util.ArrayList;
import java.util.List;

/**
 * What a simulator says: that it is a demo, which provider and model answered, and what it was asked, cut to the
 * request's output limit; with usage counted honestly (cl100k) from the request and from that text.
 *
 * @param pieces           the answer split as a stream sends it, a few words per chunk
 * @param promptTokens     tokens of the request's messages
 * @param completionTokens tokens of the answer
 * @param finishReason     {@code stop}, or {@code length} when the output limit cut the answer
 */
record DemoAnswer(List<String> pieces, long promptTokens, long completionTokens, String finishReason) {

    private static final int SUMMARY_CHARACTERS = 80;
    private static final int WORDS_PER_PIECE = 3;

    static DemoAnswer compose(String provider, String model, JsonNode request, TokenEstimator tokens) {
        String text = "This is a demo answer from " + provider + " (" + model + "), a simulator inside Freeway: no"
                + " model ran. You asked: \"" + summary(request) + "\". Configure a provider account to get real"
                + " answers; until then, watch the x-freeway-provider header change as demo providers run out.";
        long limit = outputLimit(request);
        List<String> pieces = new ArrayList<>();
        StringBuilder answer = new StringBuilder();
        String[] words = text.split(" ");
        String finish = "stop";
        for (int i = 0; i < words.length; i += WORDS_PER_PIECE) {
            String piece = String.join(" ", java.util.Arrays.copyOfRange(words, i, Math.min(words.length,
                    i + WORDS_PER_PIECE))) + (i + WORDS_PER_PIECE < words.length ? " " : "");
            if (limit > 0 && tokens.tokens(answer + piece) > limit) {
                finish = "length";
                break;
            }
            answer.append(piece);
            pieces.add(piece);
        }
        return new DemoAnswer(List.copyOf(pieces), tokens.promptTokens(request), tokens.tokens(answer.toString()),
                finish);
    }

    String content() {
        return String.join("", pieces);
    }

    /** The last user message, its whitespace folded, cut to a short line. */
    static String summary(JsonNode request) {
        String last = "";
        for (JsonNode message : request.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                last = text(message.path("content"));
            }
        }
        String folded = last.replaceAll("\\s+", " ").trim();
        return folded.length() <= SUMMARY_CHARACTERS ? folded : folded.substring(0, SUMMARY_CHARACTERS - 1) + "…";
    }

    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asText())) {
                text.append(part.path("text").asText()).append(' ');
            }
        }
        return text.toString();
    }

    private static long outputLimit(JsonNode request) {
        for (String field : new String[]{"max_completion_tokens", "max_tokens"}) {
            if (request.path(field).canConvertToLong() && request.path(field).asLong() > 0) {
                return request.path(field).asLong();
            }
        }
        return 0;
    }
}
