package dev.freeway.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a provider's accounts share its requests ({@code freeway.providers.<name>.load-balancing}). Each constant is
 * carried out by one {@code AccountStrategy} in {@code routing.strategy} that returns it from {@code balancing()}: a
 * new strategy is a constant here and its class there, and start-up fails while a constant has no strategy.
 */
public enum LoadBalancing {
    /** a position in Redis shared by every instance; the account after the one that served goes next */
    ROUND_ROBIN,
    /** lowest utilisation (the fullest of the account's rules) first */
    LEAST_USED,
    /** remaining quota, task fit, speed and closeness to a limit, scored; close scores share at random */
    WEIGHTED,
    /** a conversation keeps the account that served it while it has room */
    STICKY;

    /** The word written in configuration. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every word, in this order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(LoadBalancing::key).toList();
    }

    /**
     * The strategy {@code word} names, ignoring case and blanks; a dash may stand for the underscore.
     *
     * @throws IllegalArgumentException when it names none, listing those there are
     */
    public static LoadBalancing parse(String word) {
        String key = word == null ? "" : word.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (LoadBalancing strategy : values()) {
            if (strategy.key().equals(key)) {
                return strategy;
            }
        }
        throw new IllegalArgumentException("'" + word + "' is not a strategy; use one of " + keys());
    }
}
