package dev.freeway.routing;

import dev.freeway.config.ProviderPool;
import dev.freeway.provider.StreamStarts;
import dev.freeway.provider.Usage;
import dev.freeway.support.ProviderDoubles;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.freeway.support.ProviderDoubles.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant 2 for streams: the reservation is settled before the client receives the stream's last event, so a
 * client holding [DONE] sees the call counted, and a Lambda frozen once its response is out has nothing left to write.
 */
class StreamRelayTest {

    private static final Candidate CANDIDATE = new Candidate(
            new ProviderPool("groq", null, "round_robin", List.of(), Duration.ofSeconds(5), false, null),
            "openai/gpt-oss-120b", null);

    private final List<Usage> settled = new ArrayList<>();

    @Test
    void settles_with_the_reported_usage_before_the_client_gets_done() throws IOException {
        String upstream = ProviderDoubles.stream("openai/gpt-oss-120b", List.of("one", " two"), 9, 3);
        SettlementWatch out = new SettlementWatch();

        relay(upstream).relay(out);

        assertTrue(out.text().endsWith("data: [DONE]\n\n"), out.text());
        assertEquals(List.of(new Usage(9, 3)), settled, "settled once, with the usage of the final chunk");
        assertEquals(List.of(0, 0, 0, 0, 1), out.settledAtEachWrite,
                "every content chunk went out before the settle, [DONE] after it");
    }

    @Test
    void settles_before_an_error_event_that_ends_the_stream() throws IOException {
        String upstream = ProviderDoubles.stream("m", List.of("partial"), 4, 1).split("\n\n")[0] + "\n\n"
                + event("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":\"503\"}}");
        SettlementWatch out = new SettlementWatch();

        relay(upstream).relay(out);

        assertTrue(out.text().trim().endsWith("\"code\":\"503\"}}"), "the error event is the last: " + out.text());
        assertEquals(List.of(0, 1), out.settledAtEachWrite, "the error event went out after the settle");
        assertEquals(1, settled.size());
    }

    @Test
    void settles_exactly_once_when_the_client_goes_away() throws IOException {
        String upstream = ProviderDoubles.stream("m", List.of("a", "b"), 4, 2);
        OutputStream gone = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Connection reset by peer");
            }
        };

        assertThrows(IOException.class, () -> relay(upstream).relay(gone));

        assertEquals(1, settled.size(), "settled once, though the client never read a byte");
    }

    private StreamRelay relay(String sse) throws IOException {
        return new StreamRelay(new ServedStream(CANDIDATE, null, 1, StreamStarts.of(sse), false, List.of(), Map.of(),
                settled::add));
    }

    /** Records, for each flushed event, how many settles had happened when it was flushed. */
    private final class SettlementWatch extends OutputStream {
        final List<Integer> settledAtEachWrite = new ArrayList<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {
            settledAtEachWrite.add(settled.size());
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
