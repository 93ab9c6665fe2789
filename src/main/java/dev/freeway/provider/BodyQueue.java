package dev.freeway.provider;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as it arrives, one piece at a time, read with a deadline: the HTTP client's own timeout covers
 * only the response headers, so a provider that sends headers and then trickles or stalls would otherwise hold the
 * reader for as long as it keeps the connection open. Each piece taken asks for one more, and the HTTP side reads at
 * most a small window ahead ({@link UpstreamClient}), so a slow reader holds back the provider rather than buffering
 * its whole answer. {@link #abandon()} wakes a blocked reader at once (the client
 * left) and cancels the upstream request.
 */
final class BodyQueue implements Flow.Subscriber<List<ByteBuffer>> {

    /** Why reading ended early. */
    enum Stop { TIMEOUT, ABANDONED }

    private static final Object END = new Object();
    private static final Object ABANDON = new Object();

    private final LinkedBlockingQueue<Object> pieces = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (cancelled) {
            subscription.cancel();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        pieces.add(item);
    }

    @Override
    public void onError(Throwable error) {
        pieces.add(error);
    }

    @Override
    public void onComplete() {
        pieces.add(END);
    }

    /**
     * The next piece of the body, or null at its end.
     *
     * @param deadline {@link System#nanoTime()} by which a piece must have arrived
     * @throws Stopped when the deadline passed (the caller decides whether to wait again or {@link #cancel()}) or
     *                 the reader was abandoned (the request is cancelled)
     * @throws IOException when the connection broke
     */
    List<ByteBuffer> next(long deadline) throws IOException {
        Object piece;
        try {
            piece = pieces.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            throw new Stopped(Stop.ABANDONED);
        }
        if (piece == null) {
            throw new Stopped(Stop.TIMEOUT);
        }
        if (piece == END) {
            pieces.add(END); // the end stays the end for any later read
            return null;
        }
        if (piece == ABANDON) {
            pieces.add(ABANDON);
            throw new Stopped(Stop.ABANDONED);
        }
        if (piece instanceof Throwable error) {
            pieces.add(error);
            throw error instanceof IOException io ? io : new IOException(error);
        }
        Flow.Subscription current = subscription;
        if (current != null) {
            current.request(1);
        }
        @SuppressWarnings("unchecked")
        List<ByteBuffer> buffers = (List<ByteBuffer>) piece;
        return buffers;
    }

    /** Stops reading from another thread: a blocked {@link #next} throws {@link Stopped} at once. */
    void abandon() {
        cancel();
        pieces.add(ABANDON);
    }

    /** Cancels the upstream request; what is queued is dropped with it. */
    void cancel() {
        cancelled = true;
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }

    /** Reading stopped early, on a deadline or because the reader was abandoned. */
    static final class Stopped extends HttpTimeoutException {
        final Stop why;

        Stopped(Stop why) {
            super(why == Stop.TIMEOUT ? "no data before the deadline" : "abandoned");
            this.why = why;
        }
    }
}
