package dev.freeway.config;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every configured key, so that any text that came from a provider can have them cut out before it is stored,
 * logged or returned: a provider's 401 may quote the key it was sent ("Incorrect API key provided: ..."). Keys
 * shorter than eight characters (and "none") are not looked for: they would match ordinary words.
 */
public final class Secrets {

    static final String REDACTED = "[redacted]";
    private static final int SHORTEST = 8;

    private final List<String> values;

    private Secrets(List<String> values) {
        this.values = values;
    }

    public static Secrets of(Pool pool) {
        Set<String> values = new LinkedHashSet<>();
        for (ProviderPool provider : pool.all()) {
            for (Account account : provider.accounts()) {
                for (Credential key : account.keys()) {
                    if (!key.isNone() && key.secret().length() >= SHORTEST) {
                        values.add(key.secret());
                    }
                }
            }
        }
        // longest first: a key that contains another is cut out whole
        return new Secrets(values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    /** No keys: nothing to cut out. */
    public static Secrets none() {
        return new Secrets(List.of());
    }

    /** The text with every configured key replaced by {@code [redacted]}; null stays null. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String value : values) {
            if (result.contains(value)) {
                result = result.replace(value, REDACTED);
            }
        }
        return result;
    }
}
