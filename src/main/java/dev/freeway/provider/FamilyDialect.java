package dev.freeway.provider;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An {@link ErrorDialect} of one provider family that also reads the signals a provider hides in successful
 * answers: a content block or a broken generation reported through {@code finish_reason}, and error events sent
 * as SSE {@code data:} payloads after the HTTP status was already 200. The families' classes live in
 * {@code provider.dialect}, which {@link DialectLookup} hands out: the provider reads dialects, never names them.
 */
public interface FamilyDialect extends ErrorDialect {

    /**
     * Classifies a successful completion body, or one stream {@code data:} payload, read once by the caller. An
     * error event is classified like an error answer received with status 200; a content block or a broken
     * generation gives its outcome; anything else, including a plain chunk, {@code [DONE]} or a blank payload, is
     * {@link Outcome#OK}.
     *
     * @param body the body's JSON, or null when the text is not JSON
     * @param text the body as text, for what is classified from it
     */
    Outcome inspect(JsonNode body, String text, ProviderClock clock);

    /** Whether a stream {@code data:} payload (with or without the {@code data:} prefix) is an error event. */
    boolean isErrorEvent(String payload);

    /**
     * Classifies an event already known to be an error (an error event, or an event named {@code error}) like an
     * error answer received with status 200: never as a success, even in a shape the family does not know
     * ({@code {"type":"error","message":"Overloaded"}}).
     */
    default Outcome classifyErrorEvent(UpstreamAnswer event, ProviderClock clock) {
        Outcome outcome = classify(event, clock);
        return outcome.ok() ? Outcome.of(Outcome.Kind.UPSTREAM_ERROR, 200, "error_event",
                "the provider sent an error event") : outcome;
    }
}
