package dev.freeway.quota;

import java.util.concurrent.TimeUnit;

/**
 * Notices when this process itself stalls (starved of CPU, or paused by the garbage collector): a daemon thread asks
 * to sleep a few milliseconds at a time and notes when it woke up much later than asked. A Redis call that timed out
 * while this process was stalled is not Redis's fault: the answer may be sitting unread.
 */
final class PauseDetector {

    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(20);
    /** A wake-up this late means the process, not the sleep, decided the timing. */
    private static final long STALL = TimeUnit.MILLISECONDS.toNanos(100);

    static final PauseDetector INSTANCE = new PauseDetector();

    private volatile long lastStall = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

    private PauseDetector() {
        Thread thread = new Thread(this::watch, "freeway-pause-detector");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether the process stalled at some moment since {@code since} (a {@link System#nanoTime()}). */
    boolean stalledSince(long since) {
        return lastStall - since > 0;
    }

    private void watch() {
        while (true) {
            long before = System.nanoTime();
            try {
                TimeUnit.NANOSECONDS.sleep(TICK);
            } catch (InterruptedException e) {
                return;
            }
            long after = System.nanoTime();
            if (after - before - TICK > STALL) {
                lastStall = after;
            }
        }
    }
}
