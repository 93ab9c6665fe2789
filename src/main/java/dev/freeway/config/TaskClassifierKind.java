package dev.freeway.config;

/** The task classifiers a build can carry ({@code freeway.routing.classifier}). */
public enum TaskClassifierKind {
    /** Shapes and lexicons in seven languages; no model, no network. */
    HEURISTIC,
    /** A nearest-neighbour head over an in-process sentence-embedding model trained on the tuning set. */
    EMBEDDING
}
