package dev.freeway.cache;

import java.util.List;

/**
 * What the cache counted over a range of hours, every scope added up.
 *
 * @param hits    lookups that found an answer
 * @param misses  lookups that found none
 * @param saved   what the hits saved, per provider and model that served the kept answers
 */
public record CacheFigures(long hits, long misses, List<Saved> saved) {

    /**
     * @param requests     hits answered with this model's kept answers: upstream calls not made
     * @param inputTokens  prompt tokens those calls would have used (as the original call was settled)
     * @param outputTokens completion tokens they would have used
     */
    public record Saved(String provider, String model, long requests, long inputTokens, long outputTokens) {
    }
}
