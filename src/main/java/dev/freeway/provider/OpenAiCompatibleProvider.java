package dev.freeway.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.config.Secrets;
import dev.freeway.provider.FamilyDialect;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one adapter: every catalog entry speaks OpenAI's chat API over HTTP, and differs only in data (base URL, auth
 * header, quirks) and in its error dialect. The HTTP is {@link UpstreamClient}'s. Every wait is bounded (a whole
 * answer, a stream's first event), redirects are never followed (the key would go to another origin), and every
 * configured key is cut out of whatever the provider sends back before anything else reads it.
 */
@ApplicationScoped
public class OpenAiCompatibleProvider implements ProviderAdapter {

    /** Error bodies are small; a provider that sends megabytes of HTML is cut short. */
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** A completion larger than this is not a completion any client asked for. */
    private static final int MAX_BODY = 32 * 1024 * 1024;

    private final UpstreamClient upstream;
    private final Clock clock;
    private final Secrets secrets;
    private final DialectLookup dialects;

    @Inject
    public OpenAiCompatibleProvider(UpstreamClient upstream, Clock clock, Secrets secrets, DialectLookup dialects) {
        this.upstream = upstream;
        this.clock = clock;
        this.secrets = secrets;
        this.dialects = dialects;
    }

    @Override
    public Reply complete(ProviderCall call) {
        long started = System.nanoTime();
        long deadline = started + call.timeouts().total().toNanos();
        UpstreamClient.Head response;
        try {
            response = send(call, call.timeouts().total());
        } catch (IOException e) {
            return failure(call, e, started, call.timeouts().total());
        }
        if (isRedirect(response.status())) {
            return redirected(call, response, started);
        }
        BodyQueue queue = response.body();
        FamilyDialect dialect = dialects.of(call.spec().dialect());
        boolean ok = response.status() / 100 == 2;
        String text;
        try {
            text = secrets.redact(read(queue, deadline, ok ? MAX_BODY : MAX_ERROR_BODY, ok));
        } catch (IOException e) {
            return failure(call, e, started, call.timeouts().total());
        }
        UpstreamAnswer answer = new UpstreamAnswer(response.status(), response.headers(), text);
        RateLimitReport report = dialect.report(answer, clock.instant());
        if (!ok) {
            return Reply.failed(dialect.classify(answer, providerClock(call.spec())), answer, report,
                    elapsed(started), true);
        }
        JsonNode body = Chunks.parse(text);
        if (body == null || !body.isObject()) {
            Outcome broken = Outcome.of(Outcome.Kind.UPSTREAM_ERROR, answer.status(), "broken_body",
                    call.spec().id() + " answered 2xx with a body that is not a chat completion");
            return Reply.failed(broken, answer, report, elapsed(started), true);
        }
        return Reply.completed(dialect.inspect(body, text, providerClock(call.spec())), answer, report,
                elapsed(started), body, Chunks.usage(body));
    }

    @Override
    public Reply stream(ProviderCall call) {
        long started = System.nanoTime();
        Duration firstEvent = call.timeouts().firstEvent();
        long deadline = started + firstEvent.toNanos();
        UpstreamClient.Head response;
        try {
            response = send(call, firstEvent);
        } catch (IOException e) {
            return failure(call, e, started, firstEvent);
        }
        if (isRedirect(response.status())) {
            return redirected(call, response, started);
        }
        BodyQueue queue = response.body();
        FamilyDialect dialect = dialects.of(call.spec().dialect());
        Map<String, List<String>> headers = response.headers();
        if (response.status() / 100 != 2) {
            String text;
            try {
                text = secrets.redact(read(queue, deadline, MAX_ERROR_BODY, false));
            } catch (IOException e) {
                text = "";
            }
            UpstreamAnswer answer = new UpstreamAnswer(response.status(), headers, text);
            return Reply.failed(dialect.classify(answer, providerClock(call.spec())), answer,
                    dialect.report(answer, clock.instant()), elapsed(started), true);
        }
        UpstreamAnswer head = new UpstreamAnswer(response.status(), headers, "");
        RateLimitReport report = dialect.report(head, clock.instant());
        EventStream events = new EventStream(queue, secrets, call.timeouts().idle(),
                (chunk, payload) -> dialect.inspect(chunk, payload, providerClock(call.spec())));
        String first;
        try {
            first = events.next(deadline, () -> false);
        } catch (EventStream.Broken e) {
            events.close();
            return failure(call, e.why() == EventStream.Broken.Why.STALLED ? new HttpTimeoutException("no event")
                    : new IOException("stream broke before its first event"), started, firstEvent);
        }
        if (first == null) {
            Outcome empty = Outcome.of(Outcome.Kind.UPSTREAM_ERROR, 200, "empty_stream",
                    call.spec().id() + " closed the stream before sending any data");
            return Reply.failed(empty, head, report, elapsed(started), true);
        }
        if (dialect.isErrorEvent(first) || "error".equals(events.lastEventType())) {
            events.close();
            UpstreamAnswer error = new UpstreamAnswer(200, headers, first);
            return Reply.failed(dialect.classifyErrorEvent(error, providerClock(call.spec())), error, report,
                    elapsed(started), true);
        }
        return Reply.streaming(head, report, elapsed(started), first, events);
    }

    private UpstreamClient.Head send(ProviderCall call, Duration headersWithin) throws IOException {
        ProviderSpec spec = call.spec();
        byte[] body;
        try {
            body = Chunks.JSON.writeValueAsBytes(call.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request body cannot be written", e);
        }
        Map<String, String> headers = new LinkedHashMap<>(4);
        headers.put("Content-Type", "application/json");
        headers.put("Accept", call.body().path("stream").asBoolean(false) ? "text/event-stream" : "application/json");
        if (!call.key().isNone()) {
            headers.put(spec.authHeader(), spec.authPrefix() + call.key().secret());
        }
        return upstream.post(new UpstreamClient.Target(spec.baseUrl(), call.timeouts().keepAlive(),
                call.timeouts().connect()), call.path(), headers, body, headersWithin);
    }

    /** The body by the deadline; at most {@code cap} bytes: a longer error body is cut, a longer answer refused. */
    private static String read(BodyQueue queue, long deadline, int cap, boolean whole) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<ByteBuffer> piece;
        while ((piece = next(queue, deadline)) != null) {
            for (ByteBuffer buffer : piece) {
                byte[] chunk = new byte[Math.min(buffer.remaining(), cap - bytes.size())];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
                if (bytes.size() >= cap) {
                    queue.cancel();
                    if (whole) {
                        throw new TooLarge(cap);
                    }
                    return bytes.toString(StandardCharsets.UTF_8);
                }
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The next piece by the deadline; past it the upstream request is cancelled. */
    private static List<ByteBuffer> next(BodyQueue queue, long deadline) throws IOException {
        try {
            return queue.next(deadline);
        } catch (BodyQueue.Stopped stopped) {
            queue.cancel();
            throw stopped;
        }
    }

    private static boolean isRedirect(int status) {
        return status >= 300 && status < 400;
    }

    private Reply redirected(ProviderCall call, UpstreamClient.Head response, long started) {
        response.body().cancel();
        Outcome outcome = Outcome.of(Outcome.Kind.UPSTREAM_ERROR, response.status(), "redirect",
                call.spec().id() + " answered " + response.status() + " with a redirect to another location;"
                        + " Freeway never follows one, so the key is never sent elsewhere");
        return Reply.failed(outcome, new UpstreamAnswer(response.status(), Map.of(), ""), RateLimitReport.NONE,
                elapsed(started), true);
    }

    private Reply failure(ProviderCall call, IOException e, long started, Duration waited) {
        boolean neverSent = e instanceof UpstreamClient.NeverSent;
        boolean timedOut = e instanceof HttpTimeoutException || neverSent && ((UpstreamClient.NeverSent) e).timedOut();
        String what = neverSent || e instanceof TooLarge ? e.getMessage()
                : timedOut ? "sent no answer within " + seconds(waited)
                : "failed mid-call (" + e.getClass().getSimpleName() + ")";
        Outcome outcome = Outcome.of(Outcome.Kind.UPSTREAM_ERROR, 0, timedOut ? "timeout" : "io",
                call.spec().id() + " " + what);
        return Reply.failed(outcome, new UpstreamAnswer(0, Map.of(), ""), RateLimitReport.NONE, elapsed(started),
                !neverSent);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private ErrorDialect.ProviderClock providerClock(ProviderSpec spec) {
        return new ErrorDialect.ProviderClock(clock.instant(), spec.resetZone());
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** An answer longer than Freeway takes: broken off, the rest never read. */
    static final class TooLarge extends IOException {
        TooLarge(int cap) {
            super("answered with a body larger than the " + (cap >> 20) + " MiB Freeway takes; the rest was not read");
        }
    }
}
