package dev.freeway.routing.task;

import java.util.Arrays;

/**
 * Reads one piece of prompt text into {@link TaskEvidence} in two linear passes: lines for shape (code fences,
 * code-like lines, stack traces, equations and maths symbols) and tokens for words and phrases from
 * {@link TaskLexicon}. No regular expressions: every check is a bounded look at the current line or token, so time
 * grows with the text and nothing backtracks.
 */
final class PromptScanner {

    /** Added once to the first strong word of the user's message: the thing asked for usually comes first. */
    static final double LEAD_BONUS = 2;

    private static final String MATH_SYMBOLS = "∫∑∏√π≤≥≠≈∀∃∈∉⊂⊆∪∩⇒⇔∞∂∇×÷·±∝ˣ²³";
    private static final String[] CODE_LINE_STARTS = {"def ", "function ", "public ", "private ", "protected ",
        "static ", "return ", "const ", "let ", "var ", "fn ", "func ", "package ", "#include", "if (", "for (",
        "while (", "print(", "console.", "System.out", "@", "$ ", "SELECT ", "select ", "} "};
    private static final String[] PYTHON_BLOCK_STARTS = {"def ", "class ", "if ", "for ", "while ", "elif ", "else",
        "try", "except", "with "};
    private static final String[] CODE_OPERATORS = {"=>", "->", "==", "!=", "&&", "||", "::", "()", "function("};

    private PromptScanner() {
    }

    /**
     * @param text   the prompt text as the client sent it
     * @param weight how much this text counts: 1 for the user's message, less for a system prompt
     * @param lead   whether the first strong word earns {@link #LEAD_BONUS}
     * @param shape  whether to look at lines as well as words; off for text that is not prose, like a JSON schema
     */
    static void scan(String text, double weight, boolean lead, boolean shape, TaskEvidence evidence) {
        if (text == null || text.isEmpty()) {
            return;
        }
        if (shape) {
            scanLines(text, weight, evidence);
        }
        scanTokens(text, weight, lead, evidence);
    }

    private static void scanLines(String text, double weight, TaskEvidence evidence) {
        boolean fence = false;
        boolean traceback = false;
        int codeLines = 0;
        int frames = 0;
        int equations = 0;
        int symbols = 0;
        int carets = 0;
        int braces = 0;
        int backticks = 0;
        for (int start = 0; start <= text.length(); ) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            int from = skipBlanks(text, start, end);
            int to = trimEnd(text, from, end);
            if (from < to) {
                if (text.startsWith("```", from)) {
                    fence = true;
                } else if (text.startsWith("Traceback (most recent call last)", from)) {
                    traceback = true;
                } else if (stackFrame(text, from, to)) {
                    frames++;
                } else if (codeLine(text, from, to)) {
                    codeLines++;
                } else if (equation(text, from, to)) {
                    equations++;
                }
                for (int i = from; i < to; i++) {
                    char c = text.charAt(i);
                    if (c == '{' || c == '}' || c == ';') {
                        braces++;
                    } else if (c == '`') {
                        backticks++;
                    } else if (c == '^' && i > from && i + 1 < to
                            && Character.isLetterOrDigit(text.charAt(i - 1))
                            && Character.isLetterOrDigit(text.charAt(i + 1))) {
                        carets++;
                    } else if (c > 127 && MATH_SYMBOLS.indexOf(c) >= 0) {
                        symbols++;
                    }
                }
            }
            start = end + 1;
        }
        if (fence) {
            evidence.add(Task.CODING, 6 * weight, "fenced code");
        }
        if (traceback || frames > 0) {
            evidence.add(Task.CODING, ((traceback ? 6 : 0) + Math.min(frames, 3) * 2) * weight, "stack trace");
        }
        if (codeLines > 0) {
            evidence.add(Task.CODING, Math.min(codeLines, 4) * 2 * weight, "code-like lines");
        }
        if (braces >= 3) {
            evidence.add(Task.CODING, 2 * weight, "braces and semicolons");
        }
        if (!fence && backticks >= 2) {
            evidence.add(Task.CODING, 2 * weight, "inline code");
        }
        if (text.contains("SELECT ") && text.contains(" FROM ")) {
            evidence.add(Task.CODING, 5 * weight, "SELECT ... FROM");
        }
        if (symbols > 0 || carets > 0) {
            evidence.add(Task.REASONING, Math.min(symbols * 2 + carets * 2, 6) * weight, "maths notation");
        }
        if (equations > 0) {
            evidence.add(Task.REASONING, Math.min(equations, 2) * 1.5 * weight, "equation");
        }
    }

    /** {@code at a.b.C.m(C.java:12)}, {@code File "x.py", line 3}, or an exception's name leading its message. */
    private static boolean stackFrame(String text, int from, int to) {
        if (text.startsWith("at ", from) && text.charAt(to - 1) == ')') {
            // A frame names its method without spaces; "at the meeting (10:30)" is prose.
            int paren = indexWithin(text, "(", from + 3, to);
            return paren > from + 3 && indexWithin(text, " ", from + 3, paren) < 0;
        }
        if (text.startsWith("File \"", from) && indexWithin(text, ", line ", from, to) >= 0) {
            return true;
        }
        if (text.startsWith("Exception in thread", from) || text.startsWith("Caused by:", from)
                || text.startsWith("npm ERR!", from) || text.startsWith("error[E", from)) {
            return true;
        }
        int colon = indexWithin(text, ":", from, to);
        if (colon < 0 || indexWithin(text, " ", from, colon) >= 0) {
            return false;
        }
        return (colon - 5 >= from && text.startsWith("Error", colon - 5))
                || (colon - 9 >= from && text.startsWith("Exception", colon - 9));
    }

    private static boolean codeLine(String text, int from, int to) {
        char last = text.charAt(to - 1);
        if (last == ';' || last == '{' || last == '}') {
            return true;
        }
        for (String start : CODE_LINE_STARTS) {
            if (text.startsWith(start, from)) {
                return true;
            }
        }
        if (last == ':') {
            for (String start : PYTHON_BLOCK_STARTS) {
                if (text.startsWith(start, from)) {
                    return true;
                }
            }
        }
        if ((text.startsWith("import ", from) || text.startsWith("from ", from)) && words(text, from, to) <= 4
                && last != '.' && last != '?') {
            return true;
        }
        for (String operator : CODE_OPERATORS) {
            if (indexWithin(text, operator, from, to) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** A line with a lone {@code =} and a digit, that is not code: {@code 3x + 9 = 0}. */
    private static boolean equation(String text, int from, int to) {
        boolean equals = false;
        boolean digit = false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '=') {
                equals = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            }
        }
        return equals && digit;
    }

    private static void scanTokens(String text, double weight, boolean lead, TaskEvidence evidence) {
        char[] buffer = new char[32];
        String previous1 = null;
        String previous2 = null;
        String previous3 = null;
        boolean leadOpen = lead;
        int numbers = 0;
        int identifiers = 0;
        int variables = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (!tokenChar(text, i)) {
                i++;
                continue;
            }
            int start = i;
            boolean upperAfterLower = false;
            boolean underscore = false;
            boolean digitsOnly = true;
            int length = 0;
            for (; i < n && tokenChar(text, i); i++) {
                char c = text.charAt(i);
                if (Character.isUpperCase(c) && i > start && Character.isLowerCase(text.charAt(i - 1))) {
                    upperAfterLower = true;
                }
                underscore |= c == '_' && i > start;
                digitsOnly &= c >= '0' && c <= '9';
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, length * 2);
                }
                buffer[length++] = Character.toLowerCase(c);
            }
            if (digitsOnly) {
                numbers++;
            } else if (Character.isDigit(buffer[0]) && length <= 4 && variable(buffer, length)) {
                variables++;
            }
            if ((upperAfterLower && Character.isLowerCase(text.charAt(start))) || underscore
                    || dotted(text, i, length)) {
                identifiers++;
            }
            String token = new String(buffer, 0, length);
            TaskLexicon.Cue[] cues = TaskLexicon.cues(token);
            TaskLexicon.Cue leading = null;
            for (TaskLexicon.Cue cue : cues) {
                evidence.add(cue.task(), cue.weight() * weight, token);
                if (leading == null || cue.weight() > leading.weight()) {
                    leading = cue;
                }
            }
            if (leadOpen && leading != null && leading.weight() >= 2) {
                evidence.add(leading.task(), LEAD_BONUS * weight, token);
                leadOpen = false;
            }
            TaskLexicon.Phrase[] phrases = TaskLexicon.phrasesEndingWith(token);
            if (phrases != null) {
                for (TaskLexicon.Phrase phrase : phrases) {
                    if (precededBy(phrase.words(), previous1, previous2, previous3)) {
                        evidence.add(phrase.cue().task(), phrase.cue().weight() * weight, phrase.label());
                    }
                }
            }
            previous3 = previous2;
            previous2 = previous1;
            previous1 = token;
        }
        if (identifiers > 0) {
            evidence.add(Task.CODING, Math.min(identifiers, 3) * weight, "code identifiers");
        }
        if (variables > 0) {
            evidence.add(Task.REASONING, Math.min(variables, 3) * weight, "algebra terms");
        }
        if (numbers >= 3) {
            // Three or more quantities in one request is the shape of a word problem: the bat and ball, two trains.
            evidence.add(Task.REASONING, Math.min(numbers, 4) * weight, "several numbers");
        }
    }

    /** Letters, digits and underscores; an apostrophe only inside a word, so "what's" stays one token. */
    private static boolean tokenChar(String text, int i) {
        char c = text.charAt(i);
        if (Character.isLetterOrDigit(c) || c == '_') {
            return true;
        }
        return (c == '\'' || c == '’') && i > 0 && i + 1 < text.length()
                && Character.isLetter(text.charAt(i - 1)) && Character.isLetter(text.charAt(i + 1));
    }

    /** {@code 3x}, {@code 12n}: a coefficient and a one-letter unknown. */
    private static boolean variable(char[] token, int length) {
        char last = token[length - 1];
        if (last != 'x' && last != 'y' && last != 'z' && last != 'n') {
            return false;
        }
        for (int i = 0; i < length - 1; i++) {
            if (token[i] < '0' || token[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** A token of two or more characters followed by a dot and two letters: {@code json.loads}, {@code app.py}. */
    private static boolean dotted(String text, int end, int length) {
        return length >= 2 && end + 2 < text.length() && text.charAt(end) == '.'
                && Character.isLetter(text.charAt(end + 1)) && Character.isLetter(text.charAt(end + 2));
    }

    /** Whether the tokens before a phrase's last word are its other words; phrases have at most four words. */
    private static boolean precededBy(String[] words, String previous1, String previous2, String previous3) {
        int before = words.length - 1;
        return (before < 1 || words[before - 1].equals(previous1))
                && (before < 2 || words[before - 2].equals(previous2))
                && (before < 3 || words[before - 3].equals(previous3));
    }

    private static int skipBlanks(String text, int from, int to) {
        while (from < to && Character.isWhitespace(text.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int trimEnd(String text, int from, int to) {
        while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    private static int words(String text, int from, int to) {
        int words = 1;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == ' ') {
                words++;
            }
        }
        return words;
    }

    /** Where {@code needle} first lies wholly inside {@code [from, to)}, or -1; never looks past {@code to}. */
    private static int indexWithin(String text, String needle, int from, int to) {
        for (int i = from; i + needle.length() <= to; i++) {
            if (text.startsWith(needle, i)) {
                return i;
            }
        }
        return -1;
    }
}
