package dev.freeway.routing.task;

import java.util.ArrayList;
import java.util.List;

/**
 * What one classification has found so far: per task a score from signals that can decide, a score from signals that
 * only confirm ({@link #confirm}), and the signals that added most, by label. One instance per classification; not
 * shared between threads.
 */
final class TaskScores {

    /** Signals kept per task; a request rarely has more that matter. */
    private static final int KEPT = 6;
    /** Signals reported for the winning task. */
    static final int REPORTED = 3;

    private static final int TASKS = Task.values().length;

    private final double[] deciding = new double[TASKS];
    private final double[] confirming = new double[TASKS];
    /** The first confirming term per task, and whether another term confirmed it too. */
    private final Object[] firstConfirmation = new Object[TASKS];
    private final boolean[] confirmedTwice = new boolean[TASKS];
    /** {@link #KEPT} slots per task, task after task. */
    private final String[] labels = new String[TASKS * KEPT];
    private final double[] weights = new double[TASKS * KEPT];

    void add(Task task, double weight, String label) {
        deciding[task.ordinal()] += weight;
        keep(task.ordinal(), weight, label);
    }

    /**
     * A signal that counts only with another: "function" confirms code, and alone never makes it.
     *
     * @param term   the term that matched, compared by identity
     * @param paired whether it counts with another term like it: "a process and a thread" are about code
     */
    void confirm(Task task, double weight, String label, Object term, boolean paired) {
        int i = task.ordinal();
        confirming[i] += weight;
        if (paired) {
            if (firstConfirmation[i] == null) {
                firstConfirmation[i] = term;
            } else if (firstConfirmation[i] != term) {
                confirmedTwice[i] = true;
            }
        }
        keep(task.ordinal(), weight, label);
    }

    /**
     * The task's score: its deciding signals, and its confirming ones when there is a deciding one or when two of
     * them agree ("a process and a thread").
     */
    double score(Task task) {
        int i = task.ordinal();
        return deciding[i] > 0 || confirmedTwice[i] ? deciding[i] + confirming[i] : 0;
    }

    /** The labels that added most to the task, strongest first; at most {@link #REPORTED}. */
    List<String> signals(Task task) {
        int base = task.ordinal() * KEPT;
        List<String> out = new ArrayList<>(REPORTED);
        int taken = 0;
        for (int k = 0; k < REPORTED; k++) {
            int best = -1;
            for (int j = base; j < base + KEPT; j++) {
                if (labels[j] != null && (taken & (1 << (j - base))) == 0
                        && (best < 0 || weights[j] > weights[best])) {
                    best = j;
                }
            }
            if (best < 0) {
                break;
            }
            taken |= 1 << (best - base);
            out.add(labels[best]);
        }
        return out;
    }

    /** Adds to the label's slot, or takes an empty one, or the weakest if this is stronger. */
    private void keep(int task, double weight, String label) {
        int base = task * KEPT;
        int weakest = base;
        for (int j = base; j < base + KEPT; j++) {
            if (labels[j] == null || labels[j].equals(label)) {
                labels[j] = label;
                weights[j] += weight;
                return;
            }
            if (weights[j] < weights[weakest]) {
                weakest = j;
            }
        }
        if (weight > weights[weakest]) {
            labels[weakest] = label;
            weights[weakest] = weight;
        }
    }
}
