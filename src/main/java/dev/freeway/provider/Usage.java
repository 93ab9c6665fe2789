package dev.freeway.provider;

/** Tokens a provider says a call used. */
public record Usage(long promptTokens, long completionTokens) {

    public static final Usage NONE = new Usage(0, 0);

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
