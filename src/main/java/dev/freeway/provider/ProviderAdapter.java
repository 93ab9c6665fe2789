package dev.freeway.provider;

/** Talks to a provider. One OpenAI-compatible implementation serves every catalog entry; quirks are data. */
public interface ProviderAdapter {

    /** A non-streaming chat completion. Never throws for upstream trouble: the outcome says what happened. */
    Completion complete(ProviderCall call);

    /**
     * Opens a stream and reads up to its first event, so that a failure before the first byte reaches the client can
     * still fall back. Never throws for upstream trouble.
     */
    StreamStart stream(ProviderCall call);
}
