package dev.freeway.provider;

import dev.freeway.config.Secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;

/** Streams that have started, read from server-sent event text, for tests of what happens after the first event. */
public final class StreamStarts {

    private StreamStarts() {
    }

    /**
     * A reply whose first event has been read, as {@link OpenAiCompatibleProvider} hands it on when it answers 200;
     * the rest of {@code sse} follows, then the body ends (as if the provider closed the connection).
     */
    public static Reply of(String sse) throws EventStream.Broken {
        BodyQueue body = new BodyQueue();
        body.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        body.onNext(List.of(ByteBuffer.wrap(sse.getBytes(StandardCharsets.UTF_8))));
        body.onComplete();
        EventStream events = new EventStream(body, Secrets.none(), Duration.ofSeconds(5));
        String first = events.next(() -> false);
        return Reply.streaming(new UpstreamAnswer(200, java.util.Map.of(), ""), RateLimitReport.NONE, Duration.ZERO,
                first, events);
    }
}
