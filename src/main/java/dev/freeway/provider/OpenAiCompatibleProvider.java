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
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;

/**
 * The one adapter: every catalog entry speaks OpenAI's chat API over HTTP, and differs only in data (base URL, auth
 * header, quirks) and in its error dialect. One HTTP client per base URL, built once. Every wait is bounded (a whole
 * answer, a stream's first event), redirects are never followed (the key would go to another origin), and every
 * configured key is cut out of whatever the provider sends back before anything else reads it.
 */
@ApplicationScoped
public class OpenAiCompatibleProvider implements ProviderAdapter {

    /** Error bodies are small; a provider that sends megabytes of HTML is cut short. */
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** A completion larger than this is not a completion any client asked for. */
    private static final int MAX_BODY = 32 * 1024 * 1024;

    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Secrets secrets;
    private final DialectLookup dialects;

    @Inject
    public OpenAiCompatibleProvider(Clock clock, Secrets secrets, DialectLookup dialects) {
        this.clock = clock;
        this.secrets = secrets;
        this.dialects = dialects;
    }

    @Override
    public Reply complete(ProviderCall call) {
        long started = System.nanoTime();
        long deadline = started + call.timeouts().total().toNanos();
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = send(call, call.timeouts().total());
        } catch (IOException e) {
            return failure(call, e, started, call.timeouts().total());
        }
        if (isRedirect(response.statusCode())) {
            return redirected(call, response, started);
        }
        BodyQueue queue = subscribe(response);
        FamilyDialect dialect = dialects.of(call.spec().dialect());
        boolean ok = response.statusCode() / 100 == 2;
        String text;
        try {
            text = secrets.redact(read(queue, deadline, ok ? MAX_BODY : MAX_ERROR_BODY, ok));
        } catch (IOException e) {
            return failure(call, e, started, call.timeouts().total());
        }
        UpstreamAnswer answer = new UpstreamAnswer(response.statusCode(), headers(response), text);
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
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = send(call, firstEvent);
        } catch (IOException e) {
            return failure(call, e, started, firstEvent);
        }
        if (isRedirect(response.statusCode())) {
            return redirected(call, response, started);
        }
        BodyQueue queue = subscribe(response);
        FamilyDialect dialect = dialects.of(call.spec().dialect());
        Map<String, List<String>> headers = headers(response);
        if (response.statusCode() / 100 != 2) {
            String text;
            try {
                text = secrets.redact(read(queue, deadline, MAX_ERROR_BODY, false));
            } catch (IOException e) {
                text = "";
            }
            UpstreamAnswer answer = new UpstreamAnswer(response.statusCode(), headers, text);
            return Reply.failed(dialect.classify(answer, providerClock(call.spec())), answer,
                    dialect.report(answer, clock.instant()), elapsed(started), true);
        }
        UpstreamAnswer head = new UpstreamAnswer(response.statusCode(), headers, "");
        RateLimitReport report = dialect.report(head, clock.instant());
        EventStream events = new EventStream(queue, secrets, call.timeouts().idle());
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
            return Reply.failed(dialect.classify(error, providerClock(call.spec())), error, report, elapsed(started),
                    true);
        }
        return Reply.streaming(head, report, elapsed(started), first, events);
    }

    private HttpResponse<Flow.Publisher<List<ByteBuffer>>> send(ProviderCall call, Duration headersWithin)
            throws IOException {
        try {
            return client(call.spec()).send(request(call, headersWithin), HttpResponse.BodyHandlers.ofPublisher());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static BodyQueue subscribe(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
        BodyQueue queue = new BodyQueue();
        response.body().subscribe(queue);
        return queue;
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
                        throw new IOException("answer larger than " + cap + " bytes");
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

    private HttpRequest request(ProviderCall call, Duration headersWithin) {
        ProviderSpec spec = call.spec();
        byte[] body;
        try {
            body = Chunks.JSON.writeValueAsBytes(call.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request body cannot be written", e);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(spec.baseUrl() + "/" + call.path()))
                .timeout(headersWithin)
                .header("Content-Type", "application/json")
                .header("Accept", call.body().path("stream").asBoolean(false) ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!call.key().isNone()) {
            builder.header(spec.authHeader(), spec.authPrefix() + call.key().secret());
        }
        return builder.build();
    }

    private HttpClient client(ProviderSpec spec) {
        return clients.computeIfAbsent(spec.baseUrl(), url -> HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                // h2 where TLS negotiates it; plain-text local servers (Ollama, vLLM, doubles) speak 1.1
                .version(url.startsWith("https") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                // A redirect would send the key to wherever it points: never followed, answered as a failure.
                .followRedirects(HttpClient.Redirect.NEVER)
                // The client's own callbacks (completing send(), handing body pieces to BodyQueue, which only
                // enqueues them) run on its selector thread instead of hopping to a pool thread first: one thread
                // hand-off less per answer and per streamed piece, and no pool of dozens of threads under load
                // (bench/clients: a third less CPU per call at 64 in flight, twice the calls per second).
                .executor(Runnable::run)
                .build());
    }

    private static boolean isRedirect(int status) {
        return status >= 300 && status < 400;
    }

    private Reply redirected(ProviderCall call, HttpResponse<Flow.Publisher<List<ByteBuffer>>> response, long started) {
        subscribe(response).cancel();
        Outcome outcome = Outcome.of(Outcome.Kind.UPSTREAM_ERROR, response.statusCode(), "redirect",
                call.spec().id() + " answered " + response.statusCode() + " with a redirect to another location;"
                        + " Freeway never follows one, so the key is never sent elsewhere");
        return Reply.failed(outcome, new UpstreamAnswer(response.statusCode(), Map.of(), ""), RateLimitReport.NONE,
                elapsed(started), true);
    }

    private Reply failure(ProviderCall call, IOException e, long started, Duration waited) {
        boolean neverSent = e instanceof ConnectException || e.getCause() instanceof ConnectException;
        boolean timedOut = e instanceof HttpTimeoutException;
        String what = timedOut ? "sent no answer within " + seconds(waited)
                : neverSent ? "refused the connection" : "failed mid-call (" + e.getClass().getSimpleName() + ")";
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

    private static Map<String, List<String>> headers(HttpResponse<?> response) {
        Map<String, List<String>> lower = new TreeMap<>();
        response.headers().map().forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), values));
        return lower;
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
