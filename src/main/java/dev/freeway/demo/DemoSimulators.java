package dev.freeway.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.quota.TokenEstimator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Serves the demo providers' chat endpoints at their catalog paths ({@code /demo/<name>/...}/chat/completions), on
 * Vert.x routes so that simulated latency and streaming pace cost timers, not threads. Registered only while the
 * demo is on. Each answer waits a latency drawn from a fixed-seed sequence between the configured bounds.
 */
@ApplicationScoped
public class DemoSimulators {

    /** Freeway's own default body cap (freeway.api.max-body-size): nothing larger reaches a simulator. */
    private static final long BODY_LIMIT = 4L * 1024 * 1024;

    private final DemoProviders demo;
    private final DemoConfig config;
    private final TokenEstimator tokens;
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();

    public DemoSimulators(DemoProviders demo, DemoConfig config, TokenEstimator tokens, Clock clock) {
        this.demo = demo;
        this.config = config;
        this.tokens = tokens;
        this.clock = clock;
    }

    void routes(@Observes Router router) {
        if (!demo.active()) {
            return;
        }
        for (ProviderSpec spec : DemoProviders.catalog().values()) {
            SimulatedProvider.forEntry(spec.id()).ifPresent(simulator -> {
                Endpoint endpoint = new Endpoint(spec, simulator, new SplittableRandom(spec.id().hashCode()));
                router.post(URI.create(spec.baseUrl()).getRawPath() + "/chat/completions")
                        .handler(BodyHandler.create().setBodyLimit(BODY_LIMIT))
                        .blockingHandler(ctx -> answer(ctx, endpoint), false);
            });
        }
    }

    /** One simulated provider's endpoint with its own latency sequence. */
    private record Endpoint(ProviderSpec spec, SimulatedProvider simulator, SplittableRandom jitter) {
        long nextLatency(Duration min, Duration max) {
            synchronized (jitter) {
                long low = min.toMillis();
                long high = Math.max(low, max.toMillis());
                return low == high ? low : jitter.nextLong(low, high + 1);
            }
        }
    }

    private void answer(RoutingContext ctx, Endpoint endpoint) {
        if (!("Bearer " + DemoProviders.KEY).equals(ctx.request().getHeader("Authorization"))) {
            send(ctx, 0, 401, Map.of(), error("invalid_request_error", "invalid_api_key",
                    "Invalid API Key: this simulated provider answers only the Freeway that runs it."));
            return;
        }
        JsonNode request;
        try {
            request = SimulatedProvider.JSON.readTree(ctx.body().asString());
        } catch (Exception e) {
            request = null;
        }
        if (request == null || !request.isObject() || !request.path("messages").isArray()) {
            send(ctx, 0, 400, Map.of(), error("invalid_request_error", null,
                    "The request body must be a JSON chat completion request with messages."));
            return;
        }
        String model = request.path("model").asText("");
        if (endpoint.spec().model(model).isEmpty()) {
            send(ctx, 0, 404, Map.of(), error("invalid_request_error", "model_not_found", "The model `"
                    + model + "` does not exist at " + endpoint.spec().id() + ". Its models: "
                    + endpoint.spec().models().keySet()));
            return;
        }
        long latency = endpoint.nextLatency(config.minLatency(), config.maxLatency());
        Instant now = clock.instant();
        SimulatedQuota.Verdict verdict = endpoint.simulator().quota().take(model, now);
        if (!verdict.admitted()) {
            SimulatedProvider.Refusal refusal = endpoint.simulator().refusal(model, verdict, now);
            send(ctx, latency / 5, refusal.status(), refusal.headers(), refusal.body());
            return;
        }
        DemoAnswer answer = DemoAnswer.compose(endpoint.spec().id(), model, request, tokens);
        endpoint.simulator().quota().spend(model, now, answer.promptTokens() + answer.completionTokens());
        var headers = endpoint.simulator().servedHeaders(verdict, now);
        String id = "chatcmpl-demo-" + ids.incrementAndGet();
        long created = now.getEpochSecond();
        if (request.path("stream").asBoolean(false)) {
            boolean usage = request.path("stream_options").path("include_usage").asBoolean(false);
            stream(ctx, latency, headers, endpoint.simulator().streamPreamble(),
                    chunks(id, created, model, answer, usage));
        } else {
            send(ctx, latency, 200, headers, completion(id, created, model, answer));
        }
    }

    private void send(RoutingContext ctx, long delayMillis, int status, Map<String, String> headers,
                      String body) {
        Vertx vertx = ctx.vertx();
        vertx.setTimer(Math.max(1, delayMillis), t -> {
            HttpServerResponse response = ctx.response();
            if (response.closed() || response.ended()) {
                return;
            }
            response.setStatusCode(status).putHeader("Content-Type", "application/json");
            headers.forEach(response::putHeader);
            response.end(body);
        });
    }

    /** Headers and the first event after the latency, then one event per chunk interval, then [DONE]. */
    private void stream(RoutingContext ctx, long latency, Map<String, String> headers, String preamble,
                        List<String> events) {
        Vertx vertx = ctx.vertx();
        HttpServerResponse response = ctx.response();
        response.setChunked(true).setStatusCode(200).putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        headers.forEach(response::putHeader);
        long interval = Math.max(1, config.chunkInterval().toMillis());
        vertx.setTimer(Math.max(1, latency), first -> {
            if (response.closed()) {
                return;
            }
            response.write(preamble + events.get(0));
            writeRest(vertx, response, events, 1, interval);
        });
    }

    private static void writeRest(Vertx vertx, HttpServerResponse response, List<String> events, int next,
                                  long interval) {
        if (response.closed()) {
            return; // the client went away: a provider stops generating too
        }
        if (next == events.size()) {
            response.end("data: [DONE]\n\n");
            return;
        }
        vertx.setTimer(interval, t -> {
            if (!response.closed()) {
                response.write(events.get(next));
                writeRest(vertx, response, events, next + 1, interval);
            }
        });
    }

    private static String completion(String id, long created, String model, DemoAnswer answer) {
        ObjectNode body = SimulatedProvider.JSON.createObjectNode();
        body.put("id", id).put("object", "chat.completion").put("created", created).put("model", model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", answer.content());
        choice.put("finish_reason", answer.finishReason());
        usage(body, answer);
        return body.toString();
    }

    private static List<String> chunks(String id, long created, String model, DemoAnswer answer, boolean usage) {
        List<String> events = new ArrayList<>();
        events.add(event(chunk(id, created, model, delta -> delta.put("role", "assistant").put("content", ""), null)));
        for (String piece : answer.pieces()) {
            events.add(event(chunk(id, created, model, delta -> delta.put("content", piece), null)));
        }
        events.add(event(chunk(id, created, model, delta -> { }, answer.finishReason())));
        if (usage) {
            ObjectNode last = header(id, created, model);
            last.putArray("choices");
            usage(last, answer);
            events.add(event(last.toString()));
        }
        return events;
    }

    private static String chunk(String id, long created, String model,
                                Consumer<ObjectNode> delta, String finishReason) {
        ObjectNode chunk = header(id, created, model);
        ArrayNode choices = chunk.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", 0);
        delta.accept(choice.putObject("delta"));
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk.toString();
    }

    private static ObjectNode header(String id, long created, String model) {
        ObjectNode chunk = SimulatedProvider.JSON.createObjectNode();
        chunk.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
        return chunk;
    }

    private static void usage(ObjectNode body, DemoAnswer answer) {
        body.putObject("usage").put("prompt_tokens", answer.promptTokens())
                .put("completion_tokens", answer.completionTokens())
                .put("total_tokens", answer.promptTokens() + answer.completionTokens());
    }

    private static String event(String data) {
        return "data: " + data + "\n\n";
    }

    private static String error(String type, String code, String message) {
        ObjectNode body = SimulatedProvider.JSON.createObjectNode();
        ObjectNode error = body.putObject("error").put("message", message).put("type", type);
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return body.toString();
    }
}
