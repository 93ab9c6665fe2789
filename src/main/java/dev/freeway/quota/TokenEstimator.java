package dev.freeway.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Estimates what a chat completion request will use, so token rules can be reserved before the provider answers;
 * settle corrects the estimate to the real usage afterwards.
 *
 * <p>Prompt text is counted with {@code cl100k_base}: on the 128k–200k vocabularies of current open models it counts
 * the same text at or slightly above their own tokenizers, so a reservation errs high and settle hands the
 * difference back, rather than erring low and overshooting a per-minute limit. Framing follows OpenAI's published
 * counting: a few tokens per message and for the reply's start. Images and other attachments cannot be counted from their URL or
 * base64; each costs a fixed allowance (OpenAI's price of one high-detail 1024×1024 image).
 */
@ApplicationScoped
public class TokenEstimator {

    static final int TOKENS_PER_MESSAGE = 3;
    static final int TOKENS_PER_NAME = 1;
    static final int REPLY_PRIMING = 3;
    static final int TOKENS_PER_ATTACHMENT = 765;

    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private final int defaultMaxOutputTokens;

    @Inject
    public TokenEstimator(QuotaConfig config) {
        this(config.defaultMaxOutputTokens());
    }

    public TokenEstimator(int defaultMaxOutputTokens) {
        this.defaultMaxOutputTokens = defaultMaxOutputTokens;
    }

    /** Tokens of plain text; special-token markers in user text count as ordinary text. */
    public long tokens(String text) {
        return text == null || text.isEmpty() ? 0 : ENCODING.countTokensOrdinary(text);
    }

    /** Prompt tokens of a chat completion request body: its messages and any tool definitions. */
    public long promptTokens(JsonNode request) {
        long total = REPLY_PRIMING;
        for (JsonNode message : request.path("messages")) {
            total += TOKENS_PER_MESSAGE + tokens(message.path("role").asText(""));
            if (message.hasNonNull("name")) {
                total += TOKENS_PER_NAME + tokens(message.get("name").asText());
            }
            total += contentTokens(message.path("content"));
            if (message.has("tool_calls")) {
                total += tokens(message.get("tool_calls").toString());
            }
        }
        if (request.has("tools")) {
            total += tokens(request.get("tools").toString());
        }
        return total;
    }

    /** Output tokens to reserve: max_completion_tokens, else max_tokens, else the configured default. */
    public long outputTokens(JsonNode request) {
        for (String field : new String[]{"max_completion_tokens", "max_tokens"}) {
            JsonNode value = request.get(field);
            if (value != null && value.canConvertToLong() && value.asLong() > 0) {
                return value.asLong();
            }
        }
        return defaultMaxOutputTokens;
    }

    private long contentTokens(JsonNode content) {
        if (content.isTextual()) {
            return tokens(content.asText());
        }
        long total = 0;
        for (JsonNode part : content) {
            String type = part.path("type").asText("");
            if (type.equals("text")) {
                total += tokens(part.path("text").asText(""));
            } else {
                // Images, audio and files arrive as URLs or base64 whose size says nothing about their tokens.
                total += TOKENS_PER_ATTACHMENT;
            }
        }
        return total;
    }
}
