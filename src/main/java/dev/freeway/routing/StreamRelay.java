package dev.freeway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.provider.Chunks;
import dev.freeway.provider.Usage;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Passes a started stream to the client chunk for chunk, ending with {@code data: [DONE]}. It keeps the usage the
 * provider reports and hides the usage-only chunk Freeway asked for when the client did not. However the stream
 * ends (done, upstream error, client gone), {@link ServedStream#onEnd()} runs once with the usage known, and when
 * the stream ends normally or with an error event it runs before the client gets that last event: a client that
 * has [DONE] finds the call counted, and a Lambda frozen right after the response has nothing left to write.
 */
public final class StreamRelay {

    private static final Logger LOG = Logger.getLogger(StreamRelay.class);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    private final ServedStream served;
    private Usage usage = Usage.NONE;
    private boolean ended;

    public StreamRelay(ServedStream served) {
        this.served = served;
    }

    public void relay(OutputStream out) throws IOException {
        try {
            String payload = served.start().firstEvent();
            while (payload != null && !Chunks.DONE.equals(payload.trim())) {
                JsonNode chunk = Chunks.parse(payload);
                Usage reported = Chunks.usage(chunk);
                if (reported != null) {
                    usage = reported;
                }
                if (Chunks.isError(chunk, null)) {
                    end(); // an error event ends the stream; the client has it last
                    write(out, ("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (!Chunks.isUsageOnly(chunk) || served.clientWantsUsage()) {
                    write(out, ("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8));
                }
                payload = served.start().next();
            }
            end();
            write(out, DONE);
        } catch (IOException e) {
            LOG.debugf("Stream from %s ended early: %s", served.candidate().label(), e.getMessage());
            throw e;
        } finally {
            end();
        }
    }

    /** Closes the upstream and settles the reservation, once. */
    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            served.start().close();
        } finally {
            served.onEnd().accept(usage);
        }
    }

    private static void write(OutputStream out, byte[] event) throws IOException {
        out.write(event);
        out.flush();
    }
}
