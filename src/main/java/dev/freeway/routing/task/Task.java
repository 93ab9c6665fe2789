package dev.freeway.routing.task;

import java.util.Locale;
import java.util.Optional;

/**
 * What kind of work a chat request is. Routing prefers models whose catalog strengths name the task; the key is the
 * word the catalog, the {@code auto:<task>} model alias and the response header use.
 */
public enum Task {
    SIMPLE, CODING, REASONING, CREATIVE, MAX_CONTEXT;

    private static final String AUTO_PREFIX = "auto:";

    private final String key = name().toLowerCase(Locale.ROOT);

    /** The lower-case word for this task: {@code simple}, {@code coding}, ..., {@code max_context}. */
    public String key() {
        return key;
    }

    /**
     * Reads a task word as a client writes it: {@code coding}, {@code auto:coding}, in any case, with surrounding
     * blanks ignored.
     *
     * @return the task, or empty for null, blank or unknown words
     */
    public static Optional<Task> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String word = text.trim().toLowerCase(Locale.ROOT);
        if (word.startsWith(AUTO_PREFIX)) {
            word = word.substring(AUTO_PREFIX.length()).trim();
        }
        for (Task task : values()) {
            if (task.key.equals(word)) {
                return Optional.of(task);
            }
        }
        return Optional.empty();
    }
}
