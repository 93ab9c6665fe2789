package dev.freeway.status;

import java.util.Optional;

/**
 * A capacity figure and what sets it, e.g. 20 by "requests/day".
 *
 * @param value the figure
 * @param by    the rule or product that sets it, for the report's basis
 */
record Bound(long value, String by) {

    /** The smaller of two bounds; either may be absent. */
    static Optional<Bound> smaller(Optional<Bound> a, Optional<Bound> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return b.get().value < a.get().value ? b : a;
    }
}
