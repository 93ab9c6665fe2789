package dev.freeway.provider;

/** Talks to a provider. One OpenAI-compatible implementation serves every catalog entry; quirks are data. */
public interface ProviderAdapter {

    /**
     * A non-streaming chat completion, bounded by the call's total timeout, body included. Never throws for upstream
     * trouble: the reply's outcome says what happened.
     */
    Reply complete(ProviderCall call);

    /**
     * Opens a stream and reads up to its first event within the call's first-event timeout, so that a failure before
     * the first byte reaches the client can still fall back. Never throws for upstream trouble.
     */
    Reply stream(ProviderCall call);
}
