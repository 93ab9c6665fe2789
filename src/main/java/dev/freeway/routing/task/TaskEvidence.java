package dev.freeway.routing.task;

import java.util.List;
import java.util.Objects;

/**
 * A request's task and the signals that decided it, strongest first: short phrases such as "tools", "fenced code",
 * "logic puzzle (zh)", "unit conversion", or "no strong signal". What a status page or request log shows per request.
 *
 * @param task    the task
 * @param signals what decided it; never empty
 */
public record TaskEvidence(Task task, List<String> signals) {

    public TaskEvidence {
        Objects.requireNonNull(task, "task");
        signals = List.copyOf(signals);
        if (signals.isEmpty()) {
            throw new IllegalArgumentException("evidence names at least one signal");
        }
    }

    /** Evidence of one signal. */
    public static TaskEvidence of(Task task, String signal) {
        return new TaskEvidence(task, List.of(signal));
    }

    /** The signals joined for a log line or a header: {@code fenced code, code word}. */
    public String summary() {
        return String.join(", ", signals);
    }
}
