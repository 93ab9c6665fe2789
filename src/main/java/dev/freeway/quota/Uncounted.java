package dev.freeway.quota;

/** The handle of a reservation admitted in fail-open mode while Redis was unreachable: nothing to settle. */
enum Uncounted {
    HANDLE
}
