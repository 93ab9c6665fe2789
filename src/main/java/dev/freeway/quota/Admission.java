package dev.freeway.quota;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An admitted reservation: the quota half of exactly one upstream call. It ends exactly once, in one round trip:
 * {@link #served} (what was used replaces the estimate), {@link #failed} (the call is kept or undone as the provider
 * counts it, the account may be parked, the provider's figures correct the counters, the ledger notes it) or
 * {@link #released} (the call was never made). The first end wins; any later one changes nothing, so no path can
 * apply an end twice. An end that cannot reach Redis is sent again until it lands or the reservation has expired.
 *
 * <p>Each end is done (its future completes, never exceptionally) once Redis took it or it waits to be sent again;
 * a request's answer waits for it, so that every write of a request comes before its response.
 */
public final class Admission {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final RedisQuotaStore store;
    private final Ticket ticket;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private volatile long keptAliveAt = System.nanoTime();

    Admission(RedisQuotaStore store, Ticket ticket) {
        this.store = store;
        this.ticket = ticket;
    }

    /** An admission made in fail-open mode while Redis was unreachable: nothing was counted, nothing is ended. */
    static Admission uncounted() {
        return new Admission(null, null);
    }

    /** Whether this admission was made while Redis was unreachable, so nothing was counted. */
    public boolean degraded() {
        return ticket == null;
    }

    /** Whether it has ended (served, failed or released). */
    public boolean ended() {
        return !open.get();
    }

    /**
     * The call is still running (a stream): once half a lease has passed since it was admitted or last kept alive,
     * its leases and marker live on for another lease, so a stream longer than a lease neither frees its slot to
     * another call nor finds its reservation gone when it settles. Cheap to call for every event. One that could not
     * reach Redis only logs: the stream relays on.
     */
    public void keepAlive() {
        if (ticket == null || !open.get()) {
            return;
        }
        long now = System.nanoTime();
        long every = store.keepAliveEveryNanos();
        if (now - keptAliveAt < every) {
            return;
        }
        // One that did not land is tried again a quarter lease later, while the lease it keeps alive still holds.
        keptAliveAt = store.keepAlive(ticket) ? now : now - every / 2;
    }

    /** The call was served: count what it used, add it to the ledger, and let the provider's figures raise counters. */
    public CompletableFuture<Void> served(Spent spent, List<ReportedRemaining> reported) {
        return served(spent, reported, null);
    }

    /** As {@link #served(Spent, List)}, leaving the call's trail (latency, recent-requests entry) in the same step. */
    public CompletableFuture<Void> served(Spent spent, List<ReportedRemaining> reported, Trail trail) {
        return close() ? store.served(ticket, spent, reported, trail) : DONE;
    }

    /**
     * The request a named client's own reservation admitted has ended, served: its rules count what it used. Nothing
     * goes to a ledger here: the client's figures are written with the serving account's settlement
     * ({@link Trail#client()}), one place for them whether or not the client has rules.
     */
    public CompletableFuture<Void> used(Spent spent) {
        return close() ? store.used(ticket, spent) : DONE;
    }

    /** The call did not serve; see {@link Failure}. */
    public CompletableFuture<Void> failed(Failure failure) {
        return close() ? store.failed(ticket, failure) : DONE;
    }

    /** The call was never made (or the provider never received it): undo everything this reservation counted. */
    public CompletableFuture<Void> released() {
        return close() ? store.released(ticket) : DONE;
    }

    private boolean close() {
        return open.compareAndSet(true, false) && ticket != null;
    }

    /**
     * How a call that did not serve ends.
     *
     * @param counted      whether the provider counts the call against its limits (it reached the provider and the
     *                     provider counts failures, or it may have done the work): the request stays counted
     * @param spent        tokens to count when {@code counted} (what a broken call is known to have used)
     * @param parking      where and until when the provider said to wait; null for none
     * @param wholeAccount whether the parking is the account's as a whole rather than the model's
     * @param reported     what the provider's headers said is left
     * @param movedOn      whether the request moved on to another candidate (a fallback) rather than ending here
     */
    public record Failure(boolean counted, Spent spent, QuotaStore.Parking parking, boolean wholeAccount,
                          List<ReportedRemaining> reported, boolean movedOn) {

        public Failure {
            spent = spent == null ? Spent.NOTHING : spent;
            reported = reported == null ? List.of() : List.copyOf(reported);
        }
    }
}
