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
 * ends (done, upstream error, client gone), {@link ServedStream#onEnd()} runs once with the usage known.
 */
public final class StreamRelay {

    private static final Logger LOG = Logger.getLogger(StreamRelay.class);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

    private final ServedStream served;
    private Usage usage = Usage.NONE;

    public StreamRelay(ServedStream served) {
        this.served = served;
    }

    public void relay(OutputStream out) throws IOException {
        try {
            String payload = served.start().firstEvent();
            while (payload != null) {
                if (Chunks.DONE.equals(payload.trim())) {
                    break;
                }
                if (!forward(payload, out)) {
                    return; // an error event ended the stream; the client has it
                }
                payload = served.start().next();
            }
            out.write(DONE);
            out.flush();
        } catch (IOException e) {
            LOG.debugf("Stream from %s ended early: %s", served.candidate().label(), e.getMessage());
            throw e;
        } finally {
            served.start().close();
            served.onEnd().accept(usage);
        }
    }

    /** Writes one event unless it is the hidden usage chunk; false when it was an error event that ends the stream. */
    private boolean forward(String payload, OutputStream out) throws IOException {
        JsonNode chunk = Chunks.parse(payload);
        Usage reported = Chunks.usage(chunk);
        if (reported != null) {
            usage = reported;
        }
        boolean error = Chunks.isError(chunk, null);
        if (!error && Chunks.isUsageOnly(chunk) && !served.clientWantsUsage()) {
            return true;
        }
        out.write(("data: " + payload + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return !error;
    }

    public Usage usage() {
        return usage;
    }
}
