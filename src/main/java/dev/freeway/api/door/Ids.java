package dev.freeway.api.door;

import java.security.SecureRandom;

/** Object ids as each door's clients know them: {@code resp_…}, {@code msg_…}, {@code fc_…}, {@code cmpl-…}. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private Ids() {
    }

    /** An OpenAI-style id: the prefix and 48 hex digits (192 random bits, so ids cannot be guessed). */
    public static String hex(String prefix) {
        return prefix + random(HEX, 48);
    }

    /** An Anthropic-style id: the prefix and 24 base-62 characters. */
    public static String base62(String prefix) {
        return prefix + random(BASE62, 24);
    }

    private static String random(char[] alphabet, int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(alphabet[RANDOM.nextInt(alphabet.length)]);
        }
        return id.toString();
    }
}
