package dev.freeway.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The error dialects a catalog entry ({@code dialect: groq}) or {@code freeway.providers.<name>.dialect} may name:
 * the one list of them. Each is read by one class in {@code provider.dialect}; a new dialect is a constant here and
 * its class, which the compiler then asks {@code Dialects.of} to return.
 */
public enum DialectName {
    /** plain OpenAI-compatible: the rules every family dialect falls back on */
    OPENAI,
    GEMINI,
    GROQ,
    ZAI,
    DASHSCOPE,
    MOONSHOT,
    HUGGINGFACE,
    OPENROUTER,
    CEREBRAS,
    CLOUDFLARE,
    MISTRAL;

    /** The word written in the catalog and in configuration. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every word a dialect may be named by, in this order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(DialectName::key).toList();
    }

    /**
     * The dialect {@code word} names, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException when it names none, listing the names there are
     */
    public static DialectName parse(String word) {
        String key = word == null ? "" : word.strip().toLowerCase(Locale.ROOT);
        for (DialectName name : values()) {
            if (name.key().equals(key)) {
                return name;
            }
        }
        throw new IllegalArgumentException("unknown dialect '" + word + "' (use one of " + String.join(", ", keys())
                + ")");
    }
}
