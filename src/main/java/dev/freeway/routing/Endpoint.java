package dev.freeway.routing;

import java.util.Locale;

/**
 * The front door a request came through. Routing, quotas and fallback treat them alike; the door is a label in
 * metrics and the ledger's neighbours, and decides the provider's endpoint: every door but embeddings is served by
 * the provider's chat completions.
 */
public enum Endpoint {
    CHAT_COMPLETIONS("chat/completions"),
    RESPONSES("chat/completions"),
    COMPLETIONS("chat/completions"),
    MESSAGES("chat/completions"),
    EMBEDDINGS("embeddings");

    private final String upstreamPath;

    Endpoint(String upstreamPath) {
        this.upstreamPath = upstreamPath;
    }

    /** The provider's path under its base URL that serves this door. */
    public String upstreamPath() {
        return upstreamPath;
    }

    /** The label in metrics: chat_completions, responses, completions, messages, embeddings. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
