package dev.freeway.quota;

import io.smallrye.mutiny.TimeoutException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How long one Redis call is waited for, without a thread blocking on it: until its deadline; past it, on (up to
 * {@link #PATIENCE} timeouts in all) only while Redis keeps answering other calls on the connection meanwhile, or
 * while this process itself stalled (starved of CPU, paused by the collector): then the wait is this process's own,
 * not Redis's. A Redis that answers nothing for the whole timeout while this process runs is given up on at once.
 *
 * <p>The deadlines are checked by one timer thread; an answer in time cancels its check, so the timer's queue holds
 * only the calls still waiting.
 */
final class RedisWait {

    /** The longest a call is waited for while Redis keeps answering others, in timeouts. */
    static final int PATIENCE = 3;

    private static final ScheduledExecutorService TIMER = timer();

    private final long timeout;
    /** When the connection last delivered an answer (a {@link System#nanoTime()}). */
    private final LongSupplier lastAnswer;

    RedisWait(Duration timeout, LongSupplier lastAnswer) {
        this.timeout = timeout.toNanos();
        this.lastAnswer = lastAnswer;
    }

    /**
     * The answer of a call sent at {@code started}, or a {@link TimeoutException} once it is given up on (the call
     * itself is then cancelled).
     */
    <T> CompletableFuture<T> until(CompletableFuture<T> answer, long started, long deadline) {
        CompletableFuture<T> waited = new CompletableFuture<>();
        long last = deadline + (PATIENCE - 1) * timeout;
        Check check = new Check(answer, waited, started, last);
        check.at(deadline);
        answer.whenComplete((response, failure) -> {
            check.cancel();
            if (failure == null) {
                waited.complete(response);
            } else {
                waited.completeExceptionally(failure);
            }
        });
        return waited;
    }

    /** The deadline check of one call, rescheduled while the call is still worth waiting for. */
    private final class Check implements Runnable {
        private final CompletableFuture<?> answer;
        private final CompletableFuture<?> waited;
        private final long started;
        private final long last;
        private volatile ScheduledFuture<?> next;

        Check(CompletableFuture<?> answer, CompletableFuture<?> waited, long started, long last) {
            this.answer = answer;
            this.waited = waited;
            this.started = started;
            this.last = last;
        }

        void at(long when) {
            next = TIMER.schedule(this, Math.max(1, when - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (waited.isDone()) { // answered while this check was being scheduled
                cancel();
            }
        }

        void cancel() {
            ScheduledFuture<?> pending = next;
            if (pending != null) {
                pending.cancel(false);
            }
        }

        @Override
        public void run() {
            if (waited.isDone()) {
                return;
            }
            long now = System.nanoTime();
            long recently = Math.max(started, now - timeout);
            boolean answering = lastAnswer.getAsLong() - recently > 0
                    || PauseDetector.INSTANCE.stalledSince(recently);
            if (!answering || now - last >= 0) {
                waited.completeExceptionally(new TimeoutException());
                answer.cancel(false);
                return;
            }
            at(Math.min(last, now + timeout / 4));
        }
    }

    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "freeway-redis-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // answered calls leave the queue at once, not at their deadline
        return timer;
    }
}
