package dev.freeway.quota;

/**
 * What one call costs in credits, for rules of metric {@code credits}. Credits are counted in micro-units of the
 * provider's currency (a limit of 100000 is 0.10), so a list price per million tokens is exactly micro-units per
 * token: a call's credits are {@code input × inputPerMillion + output × outputPerMillion}, rounded up.
 */
public record CreditPrice(double inputPerMillion, double outputPerMillion) {

    /** No price known: credit rules count nothing and only a provider's own refusal parks the account. */
    public static final CreditPrice NONE = new CreditPrice(0, 0);

    public CreditPrice {
        if (inputPerMillion < 0 || outputPerMillion < 0) {
            throw new IllegalArgumentException("prices must be zero or more");
        }
    }

    long credits(long inputTokens, long outputTokens) {
        return (long) Math.ceil(inputTokens * inputPerMillion + outputTokens * outputPerMillion);
    }
}
