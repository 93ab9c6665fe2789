package dev.freeway.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.config.Credential;

import java.time.Duration;

/**
 * One call to one provider with one key.
 *
 * @param spec    the provider's facts (base URL, auth, dialect)
 * @param key     the account's key for this call
 * @param body    the request as the provider will receive it (already rewritten)
 * @param timeout longest wait for the answer's first byte
 */
public record ProviderCall(ProviderSpec spec, Credential key, ObjectNode body, Duration timeout) {
}
