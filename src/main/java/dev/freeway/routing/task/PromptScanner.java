package dev.freeway.routing.task;

/**
 * Reads one piece of prompt text into {@link TaskScores} in two linear passes: lines for shape (code fences,
 * code-like lines, stack traces, equations and maths symbols) here, then words and phrases in {@link WordScanner}.
 * No regular expressions: every check is a bounded look at the current line or word, so time grows with the text and
 * nothing backtracks.
 */
final class PromptScanner {

    private static final String MATH_SYMBOLS = "∫∑∏√π≤≥≠≈∀∃∈∉⊂⊆∪∩⇒⇔∞∂∇×÷·±∝ˣ²³";
    private static final String[] CODE_LINE_STARTS = {"def ", "function ", "public ", "private ", "protected ",
        "static ", "return ", "const ", "let ", "var ", "fn ", "func ", "package ", "#include", "if (", "for (",
        "while (", "print(", "console.", "System.out", "@", "$ ", "SELECT ", "select ", "} "};
    private static final String[] LOG_LEVELS = {" ERROR ", " WARN ", " WARNING ", " INFO ", " DEBUG ", " FATAL ",
        " TRACE ", "[ERROR]", "[WARN]", "[INFO]"};
    private static final String[] PYTHON_BLOCK_STARTS = {"def ", "class ", "if ", "for ", "while ", "elif ", "else",
        "try", "except", "with "};

    private PromptScanner() {
    }

    /**
     * @param text   the prompt text as the client sent it
     * @param weight how much this text counts: 1 for the user's message, less for a system prompt
     * @param lead   whether the first strong word earns {@link WordScanner#LEAD_BONUS}
     * @param shape  whether to look at lines as well as words; off for text that is not prose, like a JSON schema
     */
    static void scan(String text, double weight, boolean lead, boolean shape, TaskScores evidence) {
        if (text == null || text.isEmpty()) {
            return;
        }
        if (shape) {
            scanLines(text, weight, evidence);
        }
        new WordScanner(text, weight, lead, evidence).scan();
    }

    private static void scanLines(String text, double weight, TaskScores evidence) {
        boolean fence = false;
        boolean traceback = false;
        int codeLines = 0;
        int frames = 0;
        int logs = 0;
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
                } else if (Character.isDigit(text.charAt(from)) && logLine(text, from, to)) {
                    logs++;
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
        if (logs > 0) {
            evidence.add(Task.CODING, (4 + Math.min(logs, 3)) * weight, "log lines");
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

    /** {@code 2024-03-02 14:55:01 WARN HikariPool-1 - ...}: a timestamp, then a log level. */
    private static boolean logLine(String text, int from, int to) {
        int end = Math.min(to, from + 60);
        for (String level : LOG_LEVELS) {
            if (indexWithin(text, level, from, end) >= 0) {
                return true;
            }
        }
        return false;
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
        return hasOperator(text, from, to);
    }

    /** {@code =>}, {@code ->}, {@code ==}, {@code !=}, {@code &&}, {@code ||}, {@code ::} or {@code ()}, in one pass. */
    private static boolean hasOperator(String text, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            char next = text.charAt(i + 1);
            switch (text.charAt(i)) {
                case '=' -> {
                    if (next == '>' || next == '=') {
                        return true;
                    }
                }
                case '-' -> {
                    if (next == '>') {
                        return true;
                    }
                }
                case '!' -> {
                    if (next == '=') {
                        return true;
                    }
                }
                case '&', '|', ':' -> {
                    if (next == text.charAt(i)) {
                        return true;
                    }
                }
                case '(' -> {
                    if (next == ')') {
                        return true;
                    }
                }
                default -> {
                }
            }
        }
        return false;
    }

    /**
     * A line with a lone {@code =} and a digit or a one-letter unknown beside it, that is not code:
     * {@code 3x + 9 = 0}, {@code if a = b and b = c}.
     */
    private static boolean equation(String text, int from, int to) {
        boolean equals = false;
        boolean digit = false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '=') {
                equals = true;
                digit |= unknownBeside(text, i, from, to);
            } else if (c >= '0' && c <= '9') {
                digit = true;
            }
        }
        return equals && digit;
    }

    /** A single letter standing alone just before or after the {@code =} at {@code at}. */
    private static boolean unknownBeside(String text, int at, int from, int to) {
        int before = at - 1;
        while (before >= from && text.charAt(before) == ' ') {
            before--;
        }
        int after = at + 1;
        while (after < to && text.charAt(after) == ' ') {
            after++;
        }
        return lone(text, before, from, to) || lone(text, after, from, to);
    }

    private static boolean lone(String text, int i, int from, int to) {
        return i >= from && i < to && Character.isLetter(text.charAt(i))
                && (i == from || !Character.isLetterOrDigit(text.charAt(i - 1)))
                && (i + 1 == to || !Character.isLetterOrDigit(text.charAt(i + 1)));
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
