package dev.freeway.quota;

/**
 * Usage figures of one account and model, as added to or read from the hourly ledger.
 *
 * @param requests     calls counted against the provider's limits: those it served, and failed ones it may have
 *                     counted
 * @param inputTokens  prompt tokens those calls used
 * @param outputTokens completion tokens those calls used
 * @param fallbacks    requests that moved on from this candidate to another one
 * @param errors       calls that ended in an error from this candidate
 * @param estimated    settled calls whose tokens Freeway counted itself, because the provider reported no usage
 */
public record UsageCounts(long requests, long inputTokens, long outputTokens, long fallbacks, long errors,
                          long estimated) {

    public static final UsageCounts NONE = new UsageCounts(0, 0, 0, 0, 0, 0);

    /** One settled call. */
    public static UsageCounts served(long inputTokens, long outputTokens) {
        return new UsageCounts(1, inputTokens, outputTokens, 0, 0, 0);
    }

    /** One settled call, with its usage as reported or as Freeway estimated it. */
    public static UsageCounts served(Spent spent) {
        return new UsageCounts(1, spent.inputTokens(), spent.outputTokens(), 0, 0, spent.estimated() ? 1 : 0);
    }

    /** One request that moved on from this candidate. */
    public static UsageCounts fallback() {
        return new UsageCounts(0, 0, 0, 1, 0, 0);
    }

    /** One call that ended in an error. */
    public static UsageCounts error() {
        return new UsageCounts(0, 0, 0, 0, 1, 0);
    }

    public UsageCounts plus(UsageCounts other) {
        return new UsageCounts(requests + other.requests, inputTokens + other.inputTokens,
                outputTokens + other.outputTokens, fallbacks + other.fallbacks, errors + other.errors,
                estimated + other.estimated);
    }
}
