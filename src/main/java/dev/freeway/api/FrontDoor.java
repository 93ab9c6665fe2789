package dev.freeway.api;

import dev.freeway.api.error.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.DoorStream;
import dev.freeway.cache.CacheGate;
import dev.freeway.cache.CacheMode;
import dev.freeway.cache.CacheScopes;
import dev.freeway.cache.CacheTurn;
import dev.freeway.cache.CachedAnswer;
import dev.freeway.cache.CachedStream;
import dev.freeway.config.FreewayConfig;
import dev.freeway.provider.RequestRewriter;
import dev.freeway.provider.Usage;
import dev.freeway.routing.FallbackExecutor;
import dev.freeway.routing.RouteRequest;
import dev.freeway.routing.Served;
import dev.freeway.routing.StreamRelay;
import dev.freeway.routing.StreamWriter;
import dev.freeway.routing.Trace;
import dev.freeway.routing.ClientScope;
import dev.freeway.security.Clients;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every front door does alike around the one engine: read the body strictly and within the size limit, look
 * the request up in the response cache, have the engine serve it otherwise, and answer with what served it (the
 * x-freeway-* and x-ratelimit-* headers), as JSON or as a stream. A door only says how it answers
 * ({@link DoorAnswer}): the same translation serves an answer the engine just got and one the cache kept.
 */
@ApplicationScoped
public class FrontDoor {

    private final long maxBody;
    private final FallbackExecutor executor;
    private final CacheGate cache;
    private final CacheScopes scopes;
    private final Clients clients;
    private final Clock clock;

    public FrontDoor(FreewayConfig config, FallbackExecutor executor, CacheGate cache, CacheScopes scopes,
                     Clients clients, Clock clock) {
        this.clock = clock;
        this.maxBody = config.api().maxBodySize().asLongValue();
        this.executor = executor;
        this.cache = cache;
        this.scopes = scopes;
        this.clients = clients;
    }

    /**
     * The request's id (see {@link RequestIds}), its arrival, and the named client its key belongs to (the access
     * filter has already checked the key), for what routing honours and records of it.
     */
    Trace trace(HttpServerRequest http) {
        ClientScope client = clients.byKey(presentedKey(http))
                .map(Clients::scope)
                .orElse(ClientScope.NONE);
        return new Trace(RequestIds.of(http.response()), clock.instant(), client);
    }

    private static String presentedKey(HttpServerRequest http) {
        return ClientKey.presented(http.getHeader(HttpHeaders.AUTHORIZATION), http.getHeader("x-api-key"));
    }

    /**
     * The engine's answer as a door receives it, routed or kept.
     *
     * @param raw   the chat completion (or embeddings) body as text: as the provider sent it (keys redacted), or
     *              as kept
     * @param json  the same, parsed
     * @param usage what the call was settled to
     */
    record Completion(String raw, JsonNode json, Usage usage) {
    }

    /** How a door answers: its translation of a whole answer, and a new writer for a streamed one. */
    record DoorAnswer(Function<Completion, Object> body, Supplier<StreamWriter> writer) {

        /** A door that never streams (embeddings). */
        static DoorAnswer whole(Function<Completion, Object> body) {
            return new DoorAnswer(body, () -> {
                throw new IllegalStateException("this door does not stream");
            });
        }

        /** A translating door's stream: its events, and what it keeps before its end (see DoorStreamWriter). */
        static Supplier<StreamWriter> events(Supplier<DoorStream> door, Runnable beforeTheEnd) {
            return () -> new DoorStreamWriter(door.get(), beforeTheEnd);
        }
    }

    /** The body as one strict JSON object within the size limit (a 413 or 400 otherwise). */
    ObjectNode read(String body, Long contentLength) {
        if ((contentLength != null && contentLength > maxBody) || largerThan(body, maxBody)) {
            throw HttpLayerErrors.tooLarge(maxBody);
        }
        return ChatRequestValidator.object(body);
    }

    /**
     * Whether the text is longer than {@code limit} bytes in UTF-8 (as {@code getBytes(UTF_8)} encodes it: an unpaired
     * surrogate as one '?'), counted without encoding it, which would copy every body, up to megabytes, only to learn
     * its size.
     */
    static boolean largerThan(String text, long limit) {
        if ((long) text.length() > limit) {
            return true; // at least one byte per char
        }
        if ((long) text.length() * 3 <= limit) {
            return false; // at most three bytes per char (a surrogate pair: four for two chars)
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (!Character.isSurrogate(c)) {
                bytes += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 1;
            }
            if (bytes > limit) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers a request: from the cache when it may and an answer is kept (no provider called, no quota reserved),
     * else from the engine, keeping the answer when it may.
     *
     * @param route the request, traced (see {@link #trace})
     * @param http  the exchange: its {@code x-freeway-cache} header, the client key that scopes the cache, and the
     *              connection a stream watches for a client that left
     */
    Response serve(RouteRequest route, DoorAnswer door, HttpServerRequest http) {
        String asked = http.getHeader(CacheMode.HEADER);
        CacheMode mode = CacheMode.parse(asked).orElseThrow(() -> ApiError.invalid(CacheMode.HEADER,
                "Invalid value for header '" + CacheMode.HEADER + "': `" + asked + "`. Valid values: use, skip,"
                        + " refresh."));
        CacheTurn turn = cache.turn(route, mode, () -> scopes.of(presentedKey(http)));
        var kept = turn.lookup();
        if (kept.isPresent()) {
            return replay(route, kept.get(), door);
        }
        Served served = executor.serve(route);
        Response.ResponseBuilder response;
        if (served.stream() != null) {
            response = stream(served, turn.keeping(door.writer().get(), served), http.response());
        } else {
            // translated before it is kept: an answer the door cannot pass on (a 502) is never replayed
            Object body = door.body().apply(new Completion(served.body(), served.json(), served.usage()));
            turn.keep(served);
            response = Response.status(served.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
        }
        servedBy(response, route, served);
        turn.header().ifPresent(value -> response.header(CacheMode.HEADER, value));
        return response.build();
    }

    /** A kept answer, as the door answers: whole, or as a stream through the door's own writer. */
    private static Response replay(RouteRequest route, CachedAnswer kept, DoorAnswer door) {
        Response.ResponseBuilder response;
        if (route.stream()) {
            StreamWriter writer = door.writer().get();
            boolean withUsage = RequestRewriter.clientWantsStreamUsage(route.body());
            StreamingOutput output = out -> CachedStream.replay(kept, writer, out, withUsage);
            response = streaming(Response.ok(output));
        } else {
            Object body = door.body().apply(new Completion(kept.completion().toString(), kept.completion(),
                    kept.usage()));
            response = Response.ok(body).type(MediaType.APPLICATION_JSON_TYPE);
        }
        return response.header("x-freeway-task", route.task().key())
                .header("x-freeway-provider", kept.provider())
                .header("x-freeway-model", kept.model())
                .header("x-freeway-account", kept.account())
                .header("x-freeway-attempts", 0)
                .header(CacheMode.HEADER, "hit").build();
    }

    /** A stream through the door's writer; a client that leaves is seen by its closed connection. */
    private static Response.ResponseBuilder stream(Served served, StreamWriter writer, HttpServerResponse http) {
        StreamRelay relay = served.stream();
        StreamingOutput output = out -> relay.relay(out, writer, http::closed);
        return streaming(Response.ok(output));
    }

    private static Response.ResponseBuilder streaming(Response.ResponseBuilder response) {
        return response.type("text/event-stream").header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no");
    }

    /** Says what served the request; the account id, never a key. */
    static Response.ResponseBuilder servedBy(Response.ResponseBuilder response, RouteRequest request, Served served) {
        response.header("x-freeway-task", request.task().key())
                .header("x-freeway-provider", served.candidate().provider().name())
                .header("x-freeway-model", served.candidate().model())
                .header("x-freeway-account", served.account().id())
                .header("x-freeway-attempts", served.attempts());
        served.headers().forEach(response::header);
        return response;
    }
}
