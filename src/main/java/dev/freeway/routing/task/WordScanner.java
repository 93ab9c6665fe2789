package dev.freeway.routing.task;

import dev.freeway.routing.task.TaskLexicon.Feature;

/**
 * One pass over the words of a text: at each word (or, in Chinese and Japanese, at each character) the longest
 * {@link TaskLexicon} entry adds its cues, and the shapes of words add their own: code identifiers and calls
 * ({@code getName}, {@code user_id}, {@code json.loads}, {@code range(}, {@code std::}), algebra terms ({@code 3x}),
 * numbers. Counted features decide at the end: units make a short request a conversion, many constraints make a long
 * question a puzzle. Reads the text in place; one instance per text.
 */
final class WordScanner {

    /** Added once to the first strong cue of the user's message: the thing asked for usually comes first. */
    static final double LEAD_BONUS = 2;
    /** A cue weaker than this ("difference between") does not say what is asked for, so takes no lead bonus. */
    private static final double LEAD_MIN_WEIGHT = 3;
    /** Words this long may be compounds whose last part is an entry: "Liebesgedicht". */
    private static final int COMPOUND_MIN_CHARS = 7;
    /** A conversion is a short request: "how many cups are in a liter?", not a word problem about trains. */
    private static final int CONVERSION_MAX_WORDS = 20;
    /** A situation laid out in this many words or more, then a question about it, asks for reasoning. */
    private static final int SETUP_MIN_WORDS = 18;
    /** A short question with nothing else to say is a quick fact. */
    private static final int SHORT_QUESTION_WORDS = 12;
    /** Words with a parenthesis after them that are maths, not calls: {@code ln(x)} is not code. */
    private static final String[] MATHS_FUNCTIONS = {"ln", "log", "sin", "cos", "tan", "exp", "sqrt", "gcd", "lcm",
        "det", "lim", "max", "min"};

    private static final String[] HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"};
    private static final int FEATURES = Feature.values().length;

    private final String text;
    private final double weight;
    private final TaskScores scores;
    private final TaskLexicon.Match match = new TaskLexicon.Match();
    private boolean leadOpen;
    private int words;
    private int numbers;
    private int identifiers;
    private int variables;
    private int cjkChars;
    private int percentages;
    private int sentences;
    /** Lexicon features seen, by {@link Feature#ordinal()}. */
    private final int[] features = new int[FEATURES];
    private boolean atStart = true;
    /** Single capital letters used as names, one bit each: "A must be before B". */
    private int unknowns;

    WordScanner(String text, double weight, boolean lead, TaskScores scores) {
        this.text = text;
        this.weight = weight;
        this.scores = scores;
        this.leadOpen = lead;
    }

    void scan() {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (TextChars.cjk(c)) {
                int next = TaskLexicon.longestCjk(text, i, match) ? cues(match.end) : i + 1;
                cjkChars += next - i;
                i = next;
                atStart = false;
            } else if (TextChars.wordChar(text, i)) {
                int end = word(i);
                if (TaskLexicon.longestWord(text, i, match)) {
                    i = Math.max(end, cues(match.end));
                } else {
                    i = end - i >= COMPOUND_MIN_CHARS && TaskLexicon.longestSuffix(text, i, end, match) ? cues(end) : end;
                }
                atStart = false;
            } else {
                sentences += sentenceEnd(i) ? 1 : 0;
                i++;
            }
        }
        finish();
    }

    /** Reads the shape of the word at {@code start}; returns where it ends. */
    private int word(int start) {
        int n = text.length();
        boolean upperAfterLower = false;
        boolean underscore = false;
        boolean digitsOnly = true;
        int i = start;
        for (; i < n && TextChars.wordChar(text, i); i++) {
            char c = text.charAt(i);
            upperAfterLower |= Character.isUpperCase(c) && i > start && Character.isLowerCase(text.charAt(i - 1));
            underscore |= c == '_' && i > start;
            digitsOnly &= c >= '0' && c <= '9';
        }
        int length = i - start;
        words++;
        if (Character.isDigit(text.charAt(start))) {
            if (!digitsOnly && length <= 4 && variable(start, i)) {
                variables++;
            } else if (i < n && text.charAt(i) == '%') {
                percentages++;
            } else if (!year(start, i) && !timestamp(start, i) && !decimals(start)) {
                // A year or a time says when, not how much: dates in a text to summarise are not a word problem.
                numbers++;
            }
        } else if (length == 1 && text.charAt(start) >= 'A' && text.charAt(start) <= 'Z' && text.charAt(start) != 'I') {
            unknowns |= 1 << (text.charAt(start) - 'A');
        }
        if ((upperAfterLower && Character.isLowerCase(text.charAt(start))) || underscore || dotted(i, length)
                || call(start, i) || text.startsWith("::", i) || sigil(start) || httpMethod(start, i)) {
            identifiers++;
        }
        if (length == 1 && (text.startsWith("++", i) || text.startsWith("#", i))
                && "cCfF".indexOf(text.charAt(start)) >= 0) {
            scores.add(Task.CODING, 4 * weight, "language or tool");
        }
        return i;
    }

    /** Adds the cues of the match; returns where it ends. */
    private int cues(int end) {
        TaskLexicon.Cue leading = null;
        for (TaskLexicon.Cue cue : match.cues) {
            if (cue.feature() != null) {
                // Why counts only where a question opens with it: "why is this slow" after pasted code is about code.
                features[cue.feature().ordinal()] += cue.feature() != Feature.WHY || atStart ? 1 : 0;
            } else if (cue.confirm()) {
                scores.confirm(cue.task(), cue.weight() * weight, cue.label(), cue, cue.weight() >= 2);
            } else {
                scores.add(cue.task(), cue.weight() * weight, cue.label());
                if (leading == null || cue.weight() > leading.weight()) {
                    leading = cue;
                }
            }
        }
        if (leadOpen && leading != null && leading.weight() >= LEAD_MIN_WEIGHT) {
            scores.add(leading.task(), LEAD_BONUS * weight, leading.label());
            leadOpen = false;
        }
        return end;
    }

    private void finish() {
        // About two characters make a word in Chinese and Japanese.
        words += (cjkChars + 1) / 2;
        if (identifiers > 0) {
            scores.add(Task.CODING, Math.min(identifiers, 3) * 1.5 * weight, "code identifiers");
        }
        if (variables > 0) {
            scores.add(Task.REASONING, Math.min(variables, 3) * weight, "algebra terms");
        }
        int numbers = this.numbers + features[Feature.NUMBER.ordinal()];
        boolean conversion = words <= CONVERSION_MAX_WORDS && numbers <= 2 && features[Feature.UNIT.ordinal()] >= 2;
        if (conversion) {
            scores.add(Task.SIMPLE, 4 * weight, "unit conversion");
        } else if (numbers >= 3) {
            // Three or more quantities in one request is the shape of a word problem: the bat and ball, two trains.
            scores.add(Task.REASONING, Math.min(numbers, 4) * weight, "several numbers");
        }
        boolean asks = text.indexOf('?') >= 0 || text.indexOf('？') >= 0;
        if (features[Feature.CONSTRAINT.ordinal()] >= 4 && words >= 20) {
            scores.add(Task.REASONING, 3 * weight, "constraints");
        }
        int quantifiers = features[Feature.QUANTIFIER.ordinal()];
        int conditionals = features[Feature.CONDITIONAL.ordinal()];
        if ((quantifiers >= 2 || (quantifiers >= 1 && conditionals >= 1)) && asks) {
            // "If all bloops are razzies and some razzies are lazzies, must some bloops be lazzies?"
            scores.add(Task.REASONING, 3 * weight, "quantified premises");
        }
        if (features[Feature.WHY.ordinal()] > 0 && asks) {
            scores.add(Task.REASONING, 3 * weight, "why question");
        }
        if (features[Feature.COMPARISON.ordinal()] >= 2) {
            // "Ann is older than Bob, Bob is older than Cat": an ordering to work out.
            scores.add(Task.REASONING, 3 * weight, "comparisons");
        }
        if (percentages >= 2) {
            scores.add(Task.REASONING, 2 * weight, "percentages");
        }
        if (Integer.bitCount(unknowns) >= 3) {
            scores.add(Task.REASONING, 3 * weight, "named unknowns");
        }
        if (conditionals > 0 && asks && words >= 8) {
            // "If it takes 48 days to cover the lake, how long to cover half?"
            scores.add(Task.REASONING, 2 * weight, "conditional question");
        }
        if (sentences >= 2 && words >= SETUP_MIN_WORDS && asks) {
            // A situation laid out, then a question about it: a puzzle, a word problem, a decision.
            scores.add(Task.REASONING, 3 * weight, "setup and question");
        }
        if (words <= SHORT_QUESTION_WORDS && endsWithQuestionMark()) {
            scores.add(Task.SIMPLE, 2 * weight, "short question");
        }
    }

    /** A full stop, question or exclamation mark that ends a sentence (not the dot in {@code json.loads}). */
    private boolean sentenceEnd(int i) {
        char c = text.charAt(i);
        if (c == '。' || c == '？' || c == '！') {
            return true;
        }
        return (c == '.' || c == '?' || c == '!') && (i + 1 == text.length() || Character.isWhitespace(text.charAt(i + 1)));
    }

    private boolean endsWithQuestionMark() {
        for (int i = text.length() - 1; i >= 0; i--) {
            char c = TextChars.fold(text.charAt(i));
            if (!Character.isWhitespace(c)) {
                return c == '?';
            }
        }
        return false;
    }

    private boolean year(int start, int end) {
        return end - start == 4 && (text.startsWith("19", start) || text.startsWith("20", start));
    }

    /** {@code GET}, {@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE} in capitals: HTTP, not English. */
    private boolean httpMethod(int start, int end) {
        for (String method : HTTP_METHODS) {
            if (method.length() == end - start && text.startsWith(method, start)) {
                return true;
            }
        }
        return false;
    }

    /** The digits after the point of {@code 0.1}: one number, not two. */
    private boolean decimals(int start) {
        return start >= 2 && (text.charAt(start - 1) == '.' || text.charAt(start - 1) == ',')
                && Character.isDigit(text.charAt(start - 2));
    }

    /** A part of {@code 14:55:01} or {@code 2024-03-02}: digits joined to digits by a colon or a hyphen. */
    private boolean timestamp(int start, int end) {
        boolean before = start >= 2 && (text.charAt(start - 1) == ':' || text.charAt(start - 1) == '-')
                && Character.isDigit(text.charAt(start - 2));
        boolean after = end + 1 < text.length() && (text.charAt(end) == ':' || text.charAt(end) == '-')
                && Character.isDigit(text.charAt(end + 1));
        return before || after;
    }

    /** {@code &str}, {@code $HOME}, {@code @Override}: a sigil glued to a word, not after a letter (AT&T) or money. */
    private boolean sigil(int start) {
        if (start == 0 || "&$@".indexOf(text.charAt(start - 1)) < 0 || !Character.isLetter(text.charAt(start))) {
            return false;
        }
        return start == 1 || !Character.isLetterOrDigit(text.charAt(start - 2));
    }

    /** {@code 3x}, {@code 12n}: a coefficient and a one-letter unknown. */
    private boolean variable(int start, int end) {
        char last = text.charAt(end - 1);
        if (last != 'x' && last != 'y' && last != 'z' && last != 'n') {
            return false;
        }
        for (int i = start; i < end - 1; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** A word of two or more characters followed by a dot and two letters: {@code json.loads}, {@code app.py}. */
    private boolean dotted(int end, int length) {
        return length >= 2 && end + 2 < text.length() && text.charAt(end) == '.'
                && Character.isLetter(text.charAt(end + 1)) && Character.isLetter(text.charAt(end + 2));
    }

    /** {@code range(}, {@code print(}: a word of two or more ASCII letters right before a parenthesis. */
    private boolean call(int start, int end) {
        if (end >= text.length() || text.charAt(end) != '(' || end - start < 2) {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (text.charAt(i) > 127) {
                return false;
            }
        }
        for (String maths : MATHS_FUNCTIONS) {
            if (maths.length() == end - start && text.regionMatches(true, start, maths, 0, maths.length())) {
                return false;
            }
        }
        return true;
    }
}
