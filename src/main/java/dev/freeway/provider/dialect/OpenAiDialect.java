package dev.freeway.provider.dialect;

import dev.freeway.provider.FamilyDialect;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;
import dev.freeway.provider.RateLimitReport;
import dev.freeway.provider.UpstreamAnswer;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The generic dialect of any OpenAI-compatible provider, and the rules every family dialect falls back on:
 * 401 and auth-like 403 reject the credential, 402 means credits ran out, 408 and 429 are transient (until
 * {@code Retry-After} or the wait the message names), context-length messages ask for a larger model, other 4xx
 * are the client's, and 5xx or anything unreadable is the provider's failure.
 * <p>
 * A family dialect overrides {@link #family} to read its own signals first; when that returns null the generic
 * rules decide.
 */
public class OpenAiDialect implements FamilyDialect {

    private static final List<String> CONTEXT_PHRASES = List.of("context length", "context_length", "context window",
            "maximum context", "exceeds the maximum number of tokens", "exceeded model token limit",
            "range of input length", "prompt is too long", "input is too long", "maximum input length",
            "reduce the length of the messages");
    private static final List<String> AUTH_PHRASES = List.of("api key", "api_key", "apikey", "auth", "credential",
            "permission", "unauthorized", "access denied", "forbidden", "invalid key", "expired");
    private static final List<String> MODERATION_PHRASES = List.of("moderation", "flagged", "content policy",
            "content_policy", "safety", "inappropriate", "high risk");

    @Override
    public final Outcome classify(UpstreamAnswer answer, ProviderClock clock) {
        Failure failure = Failure.of(answer, clock);
        if (failure.inStream() && !failure.error().found()) {
            return inspectSuccess(StreamEvents.parse(answer.body()), answer.body());
        }
        Outcome specific = family(failure);
        return specific != null ? specific : generic(failure);
    }

    @Override
    public boolean isErrorEvent(String payload) {
        return StreamEvents.isErrorEvent(payload);
    }

    @Override
    public final Outcome inspect(JsonNode body, String text, ProviderClock clock) {
        if (StreamEvents.isError(body)) {
            return classifyErrorEvent(new UpstreamAnswer(200, Map.of(), StreamEvents.payload(text)), clock);
        }
        return inspectSuccess(body, text);
    }

    /**
     * Reads the generic {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} headers. Which window they
     * describe differs by provider, so the generic dialect leaves the windows unnamed.
     */
    @Override
    public RateLimitReport report(UpstreamAnswer answer, Instant now) {
        return RateLimitHeaders.read(answer, now, "requests", null, "tokens", null);
    }

    /** The family's own reading of a failure, or null to let the generic rules decide. */
    Outcome family(Failure failure) {
        return null;
    }

    /** The rules every provider shares. */
    final Outcome generic(Failure f) {
        ErrorEnvelope error = f.error();
        int status = f.status();
        if (error.codeIs("content_filter", "content_policy_violation") || error.typeIs("content_filter")) {
            return f.outcome(Kind.CONTENT_FILTERED, "the provider's moderation refused the content");
        }
        if (status == 401) {
            return f.outcome(Kind.CREDENTIALS_REJECTED, "the provider rejected the key (401)");
        }
        if (status == 403) {
            return forbidden(f);
        }
        if (status == 402) {
            return f.outcome(Kind.EXHAUSTED, "the account has no credits left (402)").window("credits")
                    .scope(Scope.ACCOUNT);
        }
        if (status == 408) {
            return f.outcome(Kind.TRANSIENT, "the provider timed out (408)").until(f.namedWait().orElse(null));
        }
        if (status == 429) {
            return tooManyRequests(f);
        }
        if (status >= 400 && status < 500 && contextTooLong(error)) {
            return f.outcome(Kind.CONTEXT_TOO_LONG, "the prompt does not fit this model's context");
        }
        if (status == 413) {
            return f.outcome(Kind.CLIENT_ERROR, "the request is too large for the provider (413)");
        }
        if (status >= 400 && status < 500) {
            return f.outcome(Kind.CLIENT_ERROR, "the provider refused the request (" + status + ")");
        }
        if (f.inStream()) {
            return streamError(f);
        }
        if (status >= 500) {
            return f.outcome(Kind.UPSTREAM_ERROR, "the provider failed (" + status + ")");
        }
        return f.outcome(Kind.UPSTREAM_ERROR, "the provider gave an unexpected answer (status " + status + ")");
    }

    /** Whether the error says the prompt is longer than the model accepts. */
    static boolean contextTooLong(ErrorEnvelope error) {
        return error.codeIs("context_length_exceeded") || error.typeIs("context_length_exceeded")
                || saysAny(error, CONTEXT_PHRASES);
    }

    static boolean saysAny(ErrorEnvelope error, List<String> phrases) {
        for (String phrase : phrases) {
            if (error.says(phrase)) {
                return true;
            }
        }
        return false;
    }

    private Outcome forbidden(Failure f) {
        ErrorEnvelope error = f.error();
        if (saysAny(error, MODERATION_PHRASES)) {
            return f.outcome(Kind.CONTENT_FILTERED, "the provider's moderation refused the content (403)");
        }
        String all = String.join(" ", nonNull(error.message()), nonNull(error.code()), nonNull(error.type()),
                nonNull(error.status())).toLowerCase(Locale.ROOT);
        boolean authLike = all.isBlank() || AUTH_PHRASES.stream().anyMatch(all::contains);
        if (authLike) {
            return f.outcome(Kind.CREDENTIALS_REJECTED, "the provider refused the key (403)");
        }
        return f.outcome(Kind.CLIENT_ERROR, "the provider refused this request for the account (403)");
    }

    private static Outcome tooManyRequests(Failure f) {
        if (f.error().codeIs("insufficient_quota")) {
            // OpenAI's own "You exceeded your current quota": billing, not a rate; DashScope reuses the code for TPM
            // and reads it in its own dialect first.
            return f.outcome(Kind.EXHAUSTED, "the account's quota or credits are used up").window("credits")
                    .scope(Scope.ACCOUNT);
        }
        return f.outcome(Kind.TRANSIENT, "rate limited (429)").until(f.namedWait().orElse(null));
    }

    /** An error event inside a 200 stream that carried no HTTP-like code: read its type, else blame the provider. */
    private static Outcome streamError(Failure f) {
        String kind = (nonNull(f.error().type()) + " " + nonNull(f.error().code())).toLowerCase(Locale.ROOT);
        if (kind.contains("rate_limit")) {
            return f.outcome(Kind.TRANSIENT, "rate limited during the stream").until(f.namedWait().orElse(null));
        }
        if (contextTooLong(f.error())) {
            return f.outcome(Kind.CONTEXT_TOO_LONG, "the prompt does not fit this model's context");
        }
        return f.outcome(Kind.UPSTREAM_ERROR, "the provider failed during the stream");
    }

    private static Outcome inspectSuccess(JsonNode body, String payload) {
        String text = body == null ? StreamEvents.payload(payload) : null;
        if (body == null && text != null && !text.isEmpty() && !text.equals("[DONE]")) {
            return new Outcome(Kind.UPSTREAM_ERROR, "the provider sent a success status with a body that is not JSON",
                    null, null, Scope.MODEL, 200, null);
        }
        return CompletionSignals.inspect(body);
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }
}
