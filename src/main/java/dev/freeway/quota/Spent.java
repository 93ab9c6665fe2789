package dev.freeway.quota;

/**
 * What a call used, to settle its reservation with.
 *
 * @param inputTokens  prompt tokens
 * @param outputTokens completion tokens
 * @param estimated    whether Freeway counted these itself because the provider reported no usage
 */
public record Spent(long inputTokens, long outputTokens, boolean estimated) {

    /** Nothing: a call the provider refused before it did any work. */
    public static final Spent NOTHING = new Spent(0, 0, false);

    public Spent {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts must be zero or more");
        }
    }

    public static Spent reported(long inputTokens, long outputTokens) {
        return new Spent(inputTokens, outputTokens, false);
    }
}
