package dev.freeway.status;

/** Capacity arithmetic that saturates: a configured limit near Long.MAX_VALUE must not wrap into a negative figure. */
final class Saturating {

    private Saturating() {
    }

    static long times(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }

    static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
