package dev.freeway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.config.Credential;
import dev.freeway.config.Timeouts;

/**
 * One call to one provider with one key.
 *
 * @param spec     the provider's facts (base URL, auth, dialect)
 * @param key      the account's key for this call
 * @param body     the request as the provider will receive it (already rewritten)
 * @param timeouts how long to wait: for a whole answer, a stream's first event, and between events
 * @param path     the provider's endpoint under its base URL: {@code chat/completions} or {@code embeddings}
 */
public record ProviderCall(ProviderSpec spec, Credential key, ObjectNode body, Timeouts timeouts, String path) {

    /** A chat completions call. */
    public ProviderCall(ProviderSpec spec, Credential key, ObjectNode body, Timeouts timeouts) {
        this(spec, key, body, timeouts, "chat/completions");
    }
}
