package dev.freeway.routing.task;

import java.text.Normalizer;

/**
 * How the classifier reads characters: which ones make words, which are Chinese or Japanese (written without spaces),
 * and the folded form a lexicon is matched in (lower case, no accents, full-width forms as ASCII), so "Übersetze",
 * "ubersetze" and "ÜBERSETZE" are one word and "？" ends a question like "?".
 */
final class TextChars {

    private static final char[] FOLD = new char[0x250];

    static {
        for (char c = 0; c < FOLD.length; c++) {
            String decomposed = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD);
            FOLD[c] = Character.toLowerCase(decomposed.isEmpty() ? c : decomposed.charAt(0));
        }
        FOLD['ß'] = 'ß';
    }

    private TextChars() {
    }

    /** Lower case without accents; full-width ASCII as ASCII. */
    static char fold(char c) {
        if (c < FOLD.length) {
            return FOLD[c];
        }
        if (c >= 0xFF01 && c <= 0xFF5E) {
            return fold((char) (c - 0xFEE0));
        }
        if (c == '’') {
            return '\'';
        }
        return Character.toLowerCase(c);
    }

    /** Han ideographs, kana and the Japanese long-vowel mark: scripts whose words are not separated by blanks. */
    static boolean cjk(char c) {
        return c >= 0x3040 && ( (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF)
                || (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9D));
    }

    /** Kana: the text is Japanese rather than Chinese. */
    static boolean kana(char c) {
        return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9D);
    }

    /**
     * Letters, digits and underscores outside the CJK scripts (so "用JavaScript写" holds the word JavaScript); an
     * apostrophe only inside a word, so "what's" and "d'encouragement" stay one word.
     */
    static boolean wordChar(CharSequence text, int i) {
        char c = text.charAt(i);
        if (c < 128) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
                return true;
            }
            if (c != '\'') {
                return false;
            }
        } else if (Character.isLetterOrDigit(c) && !cjk(c)) {
            return true;
        }
        return (c == '\'' || c == '’') && i > 0 && i + 1 < text.length()
                && Character.isLetter(text.charAt(i - 1)) && Character.isLetter(text.charAt(i + 1));
    }
}
