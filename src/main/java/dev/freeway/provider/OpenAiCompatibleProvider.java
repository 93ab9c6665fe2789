package dev.freeway.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.provider.dialect.Dialects;
import dev.freeway.provider.dialect.FamilyDialect;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one adapter: every catalog entry speaks OpenAI's chat API over HTTP, and differs only in data (base URL, auth
 * header, quirks) and in its error dialect. One HTTP client per base URL, built once.
 */
@ApplicationScoped
public class OpenAiCompatibleProvider implements ProviderAdapter {

    /** Error bodies are small; a provider that sends megabytes of HTML is cut short. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();
    private final Clock clock;

    public OpenAiCompatibleProvider() {
        this(Clock.systemUTC());
    }

    OpenAiCompatibleProvider(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Completion complete(ProviderCall call) {
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = client(call.spec()).send(request(call), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return failure(call, e, started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(call, new IOException("interrupted", e), started);
        }
        UpstreamAnswer answer = new UpstreamAnswer(response.statusCode(), headers(response), response.body());
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        FamilyDialect dialect = Dialects.forName(call.spec().dialect());
        RateLimitReport report = dialect.report(answer, clock.instant());
        if (response.statusCode() / 100 != 2) {
            return new Completion(dialect.classify(answer, providerClock(call.spec())), answer, Usage.NONE, report,
                    latency, true);
        }
        JsonNode body = Chunks.parse(answer.body());
        if (body == null || !body.isObject()) {
            Outcome broken = Outcome.of(Outcome.Kind.UPSTREAM_ERROR, answer.status(), null,
                    call.spec().id() + " answered 2xx with a body that is not a chat completion");
            return new Completion(broken, answer, Usage.NONE, report, latency, true);
        }
        Usage usage = Chunks.usage(body);
        Outcome outcome = dialect.inspect(answer.body(), providerClock(call.spec()));
        return new Completion(outcome, answer, usage == null ? Usage.NONE : usage, report, latency, true);
    }

    @Override
    public StreamStart stream(ProviderCall call) {
        long started = System.nanoTime();
        HttpResponse<InputStream> response;
        try {
            response = client(call.spec()).send(request(call), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            Completion failed = failure(call, e, started);
            return StreamStart.failed(failed.outcome(), failed.answer(), RateLimitReport.NONE, failed.latency(),
                    failed.reached());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Completion failed = failure(call, new IOException("interrupted", e), started);
            return StreamStart.failed(failed.outcome(), failed.answer(), RateLimitReport.NONE, failed.latency(), false);
        }
        FamilyDialect dialect = Dialects.forName(call.spec().dialect());
        Map<String, List<String>> headers = headers(response);
        if (response.statusCode() / 100 != 2) {
            UpstreamAnswer answer = new UpstreamAnswer(response.statusCode(), headers, readCapped(response.body()));
            return StreamStart.failed(dialect.classify(answer, providerClock(call.spec())), answer,
                    dialect.report(answer, clock.instant()), elapsed(started), true);
        }
        UpstreamAnswer head = new UpstreamAnswer(response.statusCode(), headers, "");
        RateLimitReport report = dialect.report(head, clock.instant());
        SseReader reader = new SseReader(response.body());
        try {
            String first = reader.next();
            if (first == null) {
                reader.close();
                Outcome empty = Outcome.of(Outcome.Kind.UPSTREAM_ERROR, 200, null,
                        call.spec().id() + " closed the stream before sending any data");
                return StreamStart.failed(empty, head, report, elapsed(started), true);
            }
            if (dialect.isErrorEvent(first) || "error".equals(reader.lastEventType())) {
                reader.close();
                UpstreamAnswer error = new UpstreamAnswer(200, headers, first);
                return StreamStart.failed(dialect.classify(error, providerClock(call.spec())), error, report,
                        elapsed(started), true);
            }
            return new StreamStart(Outcome.OK, head, report, elapsed(started), true, first, reader);
        } catch (IOException e) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // already failing
            }
            Outcome broken = Outcome.of(Outcome.Kind.UPSTREAM_ERROR, 200, null,
                    call.spec().id() + " stream broke before its first event: " + e.getClass().getSimpleName());
            return StreamStart.failed(broken, head, report, elapsed(started), true);
        }
    }

    private HttpRequest request(ProviderCall call) {
        ProviderSpec spec = call.spec();
        byte[] body;
        try {
            body = Chunks.JSON.writeValueAsBytes(call.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("request body cannot be written", e);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(spec.baseUrl() + "/chat/completions"))
                .timeout(call.timeout())
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
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build());
    }

    private Completion failure(ProviderCall call, IOException e, long started) {
        boolean neverSent = e instanceof ConnectException || e.getCause() instanceof ConnectException;
        String what = e instanceof HttpTimeoutException
                ? "timed out after " + call.timeout().toSeconds() + "s"
                : neverSent ? "refused the connection" : "failed mid-call (" + e.getClass().getSimpleName() + ")";
        Outcome outcome = Outcome.of(Outcome.Kind.UPSTREAM_ERROR, 0, e instanceof HttpTimeoutException ? "timeout" : "io",
                call.spec().id() + " " + what);
        return new Completion(outcome, new UpstreamAnswer(0, Map.of(), ""), Usage.NONE, RateLimitReport.NONE,
                elapsed(started), !neverSent);
    }

    private ErrorDialect.ProviderClock providerClock(ProviderSpec spec) {
        return new ErrorDialect.ProviderClock(clock.instant(), spec.resetZone());
    }

    private static Map<String, List<String>> headers(HttpResponse<?> response) {
        Map<String, List<String>> lower = new TreeMap<>();
        response.headers().map().forEach((name, values) -> lower.put(name.toLowerCase(Locale.ROOT), values));
        return lower;
    }

    private static String readCapped(InputStream in) {
        try (in) {
            return new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
