package dev.freeway.routing.task;

/**
 * Decides what a request's words ask for. {@link TaskClassifier} settles the cases that need no reading first (a long
 * prompt is max_context, declared tools are coding, no text is simple) and hands the rest to its model: the built-in
 * heuristic, or a learned one when {@code freeway.routing.classifier=embedding} and the build carries one.
 */
public interface TaskModel {

    /** @return simple, coding, reasoning or creative, with the signals that decided it */
    TaskEvidence classify(ChatText chat);
}
