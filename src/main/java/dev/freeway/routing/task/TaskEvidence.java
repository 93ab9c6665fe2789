package dev.freeway.routing.task;

/**
 * What one classification has found so far: a score per task and, for each task, the signal that added most to it.
 * One instance per classification; not shared between threads.
 */
final class TaskEvidence {

    private final double[] scores = new double[Task.values().length];
    private final double[] strongest = new double[scores.length];
    private final String[] signals = new String[scores.length];

    void add(Task task, double weight, String signal) {
        int i = task.ordinal();
        scores[i] += weight;
        if (weight > strongest[i]) {
            strongest[i] = weight;
            signals[i] = signal;
        }
    }

    double score(Task task) {
        return scores[task.ordinal()];
    }

    /** The signal that added most to the task's score, or null when nothing did. */
    String signal(Task task) {
        return signals[task.ordinal()];
    }
}
