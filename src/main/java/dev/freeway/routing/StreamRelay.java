package dev.freeway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.provider.Chunks;
import dev.freeway.provider.EventStream;
import dev.freeway.provider.Reply;
import dev.freeway.provider.Usage;
import dev.freeway.quota.TokenEstimator;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Passes a started stream to the client through its front door's {@link StreamWriter}, and ends its attempt exactly
 * once, before the client gets the last event (a client that has the end finds the call counted, and a Lambda frozen
 * right after the response has nothing left to write):
 * <ul>
 *   <li>the provider's {@code [DONE]}: settled to the usage it reported, or to Freeway's own count, then the door's
 *       normal end;</li>
 *   <li>an error event, a stream that closes without {@code [DONE]}, a silence longer than the idle timeout, or a
 *       broken connection: settled to what was relayed, counted against the provider's circuit, then an error event
 *       and never the normal end, so a truncated answer is never passed off as whole;</li>
 *   <li>a client that leaves (seen within a quarter second while the provider is silent, at once when a write
 *       fails, or told by {@link #abandon()}): the upstream request is cancelled and what was relayed is settled.</li>
 * </ul>
 * A stream counts once for the provider's circuit, when it ends. It hides the usage-only chunk Freeway asked for
 * when the client did not ask for it.
 */
public final class StreamRelay {

    private static final Logger LOG = Logger.getLogger(StreamRelay.class);

    private final Attempt attempt;
    private final Reply reply;
    private final boolean clientWantsUsage;
    private final TokenEstimator estimator;
    private final ProviderGuards guards;
    private Usage reported;
    private long counted;
    private String ending = "client_left";
    private dev.freeway.quota.Admission alongside;
    private volatile boolean abandoned;

    StreamRelay(Attempt attempt, Reply reply, boolean clientWantsUsage, TokenEstimator estimator,
                ProviderGuards guards) {
        this.attempt = attempt;
        this.reply = reply;
        this.clientWantsUsage = clientWantsUsage;
        this.estimator = estimator;
        this.guards = guards;
    }

    /**
     * Relays the whole stream to {@code out}; returns when it has ended, however it ended.
     *
     * @param clientGone whether the client's connection has closed, asked while the provider is silent
     */
    public void relay(OutputStream out, StreamWriter writer, java.util.function.BooleanSupplier clientGone)
            throws IOException {
        java.util.function.BooleanSupplier gone = () -> abandoned || clientGone.getAsBoolean();
        EventStream events = reply.events();
        try {
            String payload = reply.firstEvent();
            while (payload != null && !Chunks.DONE.equals(payload.trim())) {
                if (payload.isBlank()) { // an event without data carries nothing to relay
                    payload = events.next(gone);
                    continue;
                }
                JsonNode chunk = Chunks.parse(payload);
                if (chunk == null) {
                    ending = "broken";
                    broke(writer, out, new StreamWriter.StreamFailure("upstream_stream_broken", attempt.candidate()
                            .label() + " sent a stream event that is not JSON.", null, settledUsage()));
                    return;
                }
                Usage usage = Chunks.usage(chunk);
                if (usage != null) {
                    reported = usage;
                }
                if (events.endsInError(chunk, payload)) {
                    ending = "error_event";
                    // the provider's own error event passes on; a broken-off generation gets Freeway's
                    broke(writer, out, new StreamWriter.StreamFailure(errorCode(chunk), "The provider ended the"
                            + " stream with an error.", chunk.has("error") ? payload : null, settledUsage()));
                    return;
                }
                attempt.keepAlive(); // a stream longer than a lease keeps its slot and its reservation
                if (alongside != null) {
                    alongside.keepAlive();
                }
                counted += estimator.tokens(Chunks.text(chunk));
                if (!Chunks.isUsageOnly(chunk) || clientWantsUsage) {
                    writer.chunk(payload, chunk, out);
                }
                payload = events.next(gone);
            }
            if (payload == null) {
                ending = "truncated";
                broke(writer, out, new StreamWriter.StreamFailure("upstream_stream_truncated", attempt.candidate()
                        .label() + " closed the stream before it was complete.", null, settledUsage()));
                return;
            }
            ending = "done";
            settle();
            guards.streamEnded(attempt.candidate().provider(), true);
            writer.done(settledUsage(), out);
        } catch (EventStream.Broken broken) {
            if (broken.why() == EventStream.Broken.Why.ABANDONED || abandoned) {
                ending = "client_left";
                settle(); // the client left: nothing more to write
                return;
            }
            boolean stalled = broken.why() == EventStream.Broken.Why.STALLED;
            ending = stalled ? "idle_timeout" : "broken";
            broke(writer, out, new StreamWriter.StreamFailure(stalled ? "upstream_idle_timeout"
                    : "upstream_stream_broken", attempt.candidate().label() + (stalled ? " sent nothing for longer"
                    + " than its idle timeout." : " broke the stream off."), null, settledUsage()));
        } catch (IOException writeFailed) {
            LOG.debugf("Client left a stream from %s: %s", attempt.candidate().label(), writeFailed.getMessage());
            abandoned = true;
            ending = "client_left";
            throw writeFailed;
        } finally {
            events.close();
            settle(); // a no-op when an end above already did
        }
    }

    /** The client left: stop reading and cancel the upstream request now, from any thread. */
    public void abandon() {
        abandoned = true;
        reply.events().abandon();
    }

    private void broke(StreamWriter writer, OutputStream out, StreamWriter.StreamFailure failure) throws IOException {
        settle();
        guards.streamEnded(attempt.candidate().provider(), false);
        LOG.debugf("Stream from %s ended without its end: %s", attempt.candidate().label(), failure.code());
        writer.failed(failure, out);
    }

    private void settle() {
        if (!attempt.ended()) {
            attempt.served(reported, counted, reply, ending, null);
            if (alongside != null) {
                Usage used = settledUsage();
                alongside.used(dev.freeway.quota.Spent.reported(used.promptTokens(), used.completionTokens())).join();
            }
        }
    }

    /**
     * The named client's own reservation, which lives and ends with the stream's attempt: kept alive with it, and
     * counting what it settled to.
     */
    void alongside(dev.freeway.quota.Admission client) {
        this.alongside = client;
    }

    /** What the stream is settled to: the provider's usage, else the prompt's estimate and the relayed count. */
    private Usage settledUsage() {
        return attempt.settledTo(reported, counted);
    }

    private static String errorCode(JsonNode chunk) {
        JsonNode code = chunk == null ? null : chunk.path("error").get("code");
        return code == null || code.isNull() ? "upstream_error" : code.asText();
    }
}
