package dev.freeway.routing.task;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The words and phrases that hint at a task, in English, German, Spanish, French, Portuguese, Chinese and Japanese,
 * read once from {@code classifier/lexicon/*.txt} (the format is in {@code en.txt}) into one character trie. Matching
 * walks the text in place: no token strings, no regular expressions. Latin-script entries match whole words, across
 * blanks and hyphens for phrases; Chinese and Japanese entries match anywhere, since those scripts have no spaces.
 * Where two languages list one word for one task, the first file wins (English comes first).
 */
final class TaskLexicon {

    /** What a matched entry counts towards: a task, or a feature the scanner counts. */
    enum Feature { UNIT, CONSTRAINT, QUANTIFIER, NUMBER, CONDITIONAL, COMPARISON, WHY }

    /**
     * One hint of an entry.
     *
     * @param task    the task it adds to, or null for a feature
     * @param feature the feature it counts, or null for a task
     * @param confirm whether it only confirms: it counts when the task has other evidence
     * @param label   the signal it reports, with the language when not English: "logic puzzle (zh)"
     */
    record Cue(Task task, Feature feature, double weight, boolean confirm, String label) {
    }

    /** Where the longest entry at a position ends, and its cues; reused across one scan. */
    static final class Match {
        int end;
        Cue[] cues;
    }

    /** What may stand between the words of a phrase: blanks, hyphens, "tl;dr", "and/or", "D&D". */
    private static final String SEPARATORS = " \t-‐–;/&\u00A0";
    /** No entry is longer; bounds every walk. */
    private static final int MAX_ENTRY_CHARS = 48;
    private static final Node ROOT = new Node();
    /** Suffix entries ({@code *gedicht}), spelt backwards: the head of a German compound comes last. */
    private static final Node SUFFIX_ROOT = new Node();
    /** A suffix entry matches a word only with at least this many letters before it: "Liebes|gedicht". */
    private static final int MIN_COMPOUND_PREFIX = 3;
    /** The root's children for ASCII keys, looked up directly: most words start there. */
    private static final Node[] ROOT_ASCII = new Node[128];
    private static int terms;

    static {
        // English first: where two languages list one word for one task, the first wins.
        load("en", TaskLexicon.class.getResourceAsStream("/classifier/lexicon/en.txt"));
        load("de", TaskLexicon.class.getResourceAsStream("/classifier/lexicon/de.txt"));
        load("es", TaskLexicon.class.getResourceAsStream("/classifier/lexicon/es.txt"));
        load("fr", TaskLexicon.class.getResourceAsStream("/classifier/lexicon/fr.txt"));
        load("pt", TaskLexicon.class.getResourceAsStream("/classifier/lexicon/pt.txt"));
        load("zh", TaskLexicon.class.getResourceAsStream("/classifier/lexicon/zh.txt"));
        load("ja", TaskLexicon.class.getResourceAsStream("/classifier/lexicon/ja.txt"));
        for (char c = 0; c < ROOT_ASCII.length; c++) {
            ROOT_ASCII[c] = ROOT.child(c);
        }
    }

    private TaskLexicon() {
    }

    /** How many terms the lexicon holds; reading it loads the lexicon if it is not loaded yet. */
    static int terms() {
        return terms;
    }

    /**
     * The longest Latin-script entry that starts at the word beginning at {@code start}: a whole word or phrase
     * (a final s optional after three letters), or a prefix entry ({@code beweis*}) reaching to the end of its word.
     */
    static boolean longestWord(CharSequence text, int start, Match match) {
        Node node = ROOT;
        int n = text.length();
        int limit = Math.min(n, start + MAX_ENTRY_CHARS);
        boolean found = false;
        for (int i = start; i < limit; ) {
            char key;
            int next;
            if (TextChars.wordChar(text, i)) {
                key = TextChars.fold(text.charAt(i));
                next = i + 1;
            } else if (node.space == null) {
                break;
            } else {
                next = skipSeparators(text, i);
                if (next == i || next >= n || !TextChars.wordChar(text, next)) {
                    break;
                }
                key = ' ';
            }
            node = node == ROOT && key < ROOT_ASCII.length ? ROOT_ASCII[key] : node.child(key);
            if (node == null) {
                break;
            }
            i = next;
            if (key == ' ') {
                continue;
            }
            if (node.prefix != null) {
                found = set(match, node.prefix, wordEnd(text, i));
            }
            if (node.exact != null) {
                if (i >= n || !TextChars.wordChar(text, i)) {
                    found = set(match, node.exact, i);
                } else if (i - start >= 3 && TextChars.fold(text.charAt(i)) == 's'
                        && (i + 1 >= n || !TextChars.wordChar(text, i + 1))) {
                    // A plural of a word of three letters or more: "cups", not "his" for "hi".
                    found = set(match, node.exact, i + 1);
                } else if (digitsEnd(text, i) > i) {
                    // A version after a name: "Vue3", "python3", "html5".
                    found = set(match, node.exact, digitsEnd(text, i));
                }
            }
        }
        return found;
    }

    /** The longest suffix entry that ends the word {@code [start, end)}: {@code Liebesgedicht} is a poem. */
    static boolean longestSuffix(CharSequence text, int start, int end, Match match) {
        Node node = SUFFIX_ROOT;
        boolean found = false;
        for (int i = end - 1; i >= start + MIN_COMPOUND_PREFIX; i--) {
            node = node.child(TextChars.fold(text.charAt(i)));
            if (node == null) {
                break;
            }
            if (node.exact != null) {
                found = set(match, node.exact, end);
            }
        }
        return found;
    }

    /** The longest Chinese or Japanese entry that starts at {@code start}. */
    static boolean longestCjk(CharSequence text, int start, Match match) {
        Node node = ROOT;
        boolean found = false;
        int limit = Math.min(text.length(), start + MAX_ENTRY_CHARS);
        for (int i = start; i < limit && TextChars.cjk(text.charAt(i)); i++) {
            node = node.child(text.charAt(i));
            if (node == null) {
                break;
            }
            if (node.exact != null) {
                found = set(match, node.exact, i + 1);
            }
        }
        return found;
    }

    private static boolean set(Match match, Cue[] cues, int end) {
        match.cues = cues;
        match.end = end;
        return true;
    }

    /** Blanks and hyphens between the words of a phrase (not a line break): "six-word", "tl;dr", "step  by". */
    private static int skipSeparators(CharSequence text, int i) {
        int j = i;
        while (j < text.length() && j - i < 3 && SEPARATORS.indexOf(text.charAt(j)) >= 0) {
            j++;
        }
        return j;
    }

    /** Where the digits that end a word at {@code i} end, or {@code i} when the word goes on otherwise. */
    private static int digitsEnd(CharSequence text, int i) {
        int j = i;
        while (j < text.length() && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
            j++;
        }
        return j == i || (j < text.length() && TextChars.wordChar(text, j)) ? i : j;
    }

    private static int wordEnd(CharSequence text, int i) {
        while (i < text.length() && TextChars.wordChar(text, i)) {
            i++;
        }
        return i;
    }

    private static void load(String lang, InputStream in) {
        String file = "classifier/lexicon/" + lang + ".txt";
        if (in == null) {
            throw new IllegalStateException("the task lexicon " + file + " is not on the class path");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Cue group = null;
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[")) {
                    group = header(line, lang, file + ":" + number);
                } else if (group == null) {
                    throw new IllegalStateException(file + ":" + number + ": terms before the first [group]");
                } else {
                    for (String term : line.split(",")) {
                        if (!term.isBlank()) {
                            add(term.strip(), group);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code [reasoning 4 logic puzzle]}, {@code [coding ~2 code term]}, {@code [unit 1 unit]}; a feature's weight is not used. */
    private static Cue header(String line, String lang, String where) {
        String[] parts = line.substring(1, line.length() - 1).strip().split("\\s+", 3);
        if (!line.endsWith("]") || parts.length < 3) {
            throw new IllegalStateException(where + ": a group is [task weight label]: " + line);
        }
        Task task = Task.parse(parts[0]).orElse(null);
        Feature feature = task == null ? Feature.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT)) : null;
        boolean confirm = parts[1].startsWith("~");
        double weight = Double.parseDouble(confirm ? parts[1].substring(1) : parts[1]);
        String label = "en".equals(lang) ? parts[2] : parts[2] + " (" + lang + ")";
        return new Cue(task, feature, weight, confirm, label);
    }

    /** Adds a term; each gets a cue of its own, so two different confirming words can be told from one word twice. */
    private static void add(String term, Cue cue) {
        terms++;
        Cue own = new Cue(cue.task(), cue.feature(), cue.weight(), cue.confirm(), cue.label());
        if (term.startsWith("*")) {
            Node node = SUFFIX_ROOT;
            for (int i = term.length() - 1; i > 0; i--) {
                node = node.add(TextChars.fold(term.charAt(i)));
            }
            node.exact = with(node.exact, own);
            return;
        }
        boolean prefix = term.endsWith("*");
        String words = prefix ? term.substring(0, term.length() - 1) : term;
        Node node = ROOT;
        boolean blank = false;
        for (int i = 0; i < words.length(); i++) {
            char c = words.charAt(i);
            if (SEPARATORS.indexOf(c) >= 0) {
                blank = true;
                continue;
            }
            if (blank) {
                node = node.add(' ');
                blank = false;
            }
            node = node.add(TextChars.fold(c));
        }
        if (prefix) {
            node.prefix = with(node.prefix, own);
        } else {
            node.exact = with(node.exact, own);
        }
    }

    /** Adds a cue unless the entry already has one for its task or feature: the first language listed wins. */
    private static Cue[] with(Cue[] cues, Cue cue) {
        if (cues == null) {
            return new Cue[] {cue};
        }
        for (Cue known : cues) {
            if (known.task() == cue.task() && known.feature() == cue.feature()) {
                return cues;
            }
        }
        Cue[] more = Arrays.copyOf(cues, cues.length + 1);
        more[cues.length] = cue;
        return more;
    }

    /** A trie node: children by character, kept sorted for a binary search. */
    private static final class Node {
        private char[] keys = new char[0];
        private Node[] next = new Node[0];
        private Cue[] exact;
        private Cue[] prefix;
        /** The child for a blank, looked up for every word end. */
        private Node space;

        Node child(char key) {
            int i = Arrays.binarySearch(keys, key);
            return i >= 0 ? next[i] : null;
        }

        Node add(char key) {
            int i = Arrays.binarySearch(keys, key);
            if (i >= 0) {
                return next[i];
            }
            int at = -i - 1;
            char[] moreKeys = new char[keys.length + 1];
            Node[] moreNext = new Node[next.length + 1];
            System.arraycopy(keys, 0, moreKeys, 0, at);
            System.arraycopy(next, 0, moreNext, 0, at);
            moreKeys[at] = key;
            moreNext[at] = new Node();
            System.arraycopy(keys, at, moreKeys, at + 1, keys.length - at);
            System.arraycopy(next, at, moreNext, at + 1, next.length - at);
            keys = moreKeys;
            next = moreNext;
            if (key == ' ') {
                space = moreNext[at];
            }
            return moreNext[at];
        }
    }
}
