package dev.freeway.catalog;

/** A model a provider no longer serves, and what to use instead. */
public record RetiredModel(String id, String retiredOn, String replacement) {
}
