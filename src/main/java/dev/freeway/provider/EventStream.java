package dev.freeway.provider;

import dev.freeway.config.Secrets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * The events of a provider's stream, read as they arrive: each {@code data:} payload with every configured key
 * redacted, {@code [DONE]} as it was sent, null when the body ended. Every read is bounded: a provider that falls
 * silent for longer than the idle timeout, a connection that breaks, and a client that leaves
 * ({@link #abandon()}, from any thread) all end the read with {@link Broken}, saying which it was, and cancel the
 * upstream request.
 */
public final class EventStream implements AutoCloseable {

    private final BodyQueue body;
    private final Secrets secrets;
    private final Duration idle;
    private final SseParser parser = new SseParser();
    private final Judge judge;
    private String lastType;

    /** How the provider's dialect reads one event of a stream that has started. */
    @FunctionalInterface
    interface Judge {
        Outcome of(com.fasterxml.jackson.databind.JsonNode chunk, String payload);
    }

    EventStream(BodyQueue body, Secrets secrets, Duration idle) {
        this(body, secrets, idle, (chunk, payload) -> Outcome.OK);
    }

    EventStream(BodyQueue body, Secrets secrets, Duration idle, Judge judge) {
        this.body = body;
        this.secrets = secrets;
        this.idle = idle;
        this.judge = judge;
    }

    /**
     * Whether an event after the stream started ends it in error, as the provider's dialect reads it: an error
     * object (OpenRouter sends one beside its choices), an event named {@code error}, or a generation that broke off
     * ({@code finish_reason} {@code error} or {@code network_error}). A moderation stop is an end, not an error.
     *
     * @param chunk   the event's JSON
     * @param payload the event as sent
     */
    public boolean endsInError(com.fasterxml.jackson.databind.JsonNode chunk, String payload) {
        if ("error".equals(lastType)) {
            return true;
        }
        Outcome judged = judge.of(chunk, payload);
        return !judged.ok() && judged.kind() != Outcome.Kind.CONTENT_FILTERED;
    }

    /** How often a wait for the provider looks whether the client is still there. */
    private static final long LOOK_AGAIN = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(250);

    /**
     * The next payload within the idle timeout; null when the provider closed the stream.
     *
     * @param clientGone asked every quarter second while the provider is silent: a client that left ends the wait
     *                   (as {@link Broken.Why#ABANDONED}) and the upstream request at once
     */
    public String next(java.util.function.BooleanSupplier clientGone) throws Broken {
        return next(System.nanoTime() + idle.toNanos(), clientGone);
    }

    /** The next payload by {@code deadline} ({@link System#nanoTime()}); null at the end of the body. */
    String next(long deadline, java.util.function.BooleanSupplier clientGone) throws Broken {
        while (true) {
            SseParser.Event event = parser.poll();
            if (event != null) {
                lastType = event.type();
                return secrets.redact(event.data());
            }
            List<ByteBuffer> piece;
            try {
                piece = body.next(Math.min(deadline, System.nanoTime() + LOOK_AGAIN));
            } catch (BodyQueue.Stopped stopped) {
                if (stopped.why == BodyQueue.Stop.ABANDONED || clientGone.getAsBoolean()) {
                    body.cancel();
                    throw new Broken(Broken.Why.ABANDONED);
                }
                if (System.nanoTime() - deadline >= 0) {
                    body.cancel();
                    throw new Broken(Broken.Why.STALLED);
                }
                continue;
            } catch (IOException e) {
                throw new Broken(Broken.Why.CUT);
            }
            if (piece == null) {
                return null;
            }
            try {
                piece.forEach(parser::feed);
            } catch (SseParser.TooLarge tooLarge) {
                body.cancel();
                throw new Broken(Broken.Why.CUT);
            }
        }
    }

    /** The {@code event:} name of the last event read, when the server sent one. */
    public String lastEventType() {
        return lastType;
    }

    /** Stops the stream from another thread (the client left): a blocked read ends at once. */
    public void abandon() {
        body.abandon();
    }

    @Override
    public void close() {
        body.cancel();
    }

    /** A stream that ended without its end: silent too long, cut, or left by the client. */
    public static final class Broken extends IOException {

        /** How it broke. */
        public enum Why {
            /** no event within the idle (or first-event) timeout */
            STALLED,
            /** the connection broke */
            CUT,
            /** Freeway stopped reading: the client left */
            ABANDONED
        }

        private final Why why;

        Broken(Why why) {
            super("stream " + why.name().toLowerCase(java.util.Locale.ROOT), null);
            this.why = why;
        }

        public Why why() {
            return why;
        }
    }
}
