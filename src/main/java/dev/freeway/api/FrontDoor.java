package dev.freeway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.door.DoorStream;
import dev.freeway.config.FreewayConfig;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.nio.charset.StandardCharsets;

/**
 * What every front door does alike around the one engine: read the body strictly and within the size limit, and
 * answer with what served it (the x-freeway-* and x-ratelimit-* headers), as JSON or as a relayed stream.
 */
@ApplicationScoped
public class FrontDoor {

    private final long maxBody;
    private final Clients clients;

    public FrontDoor(FreewayConfig config, Clients clients) {
        this.maxBody = config.api().maxBodySize().asLongValue();
        this.clients = clients;
    }

    /**
     * The request's id (see {@link RequestIds}), its arrival, and the named client its key belongs to (the access
     * filter has already checked the key), for what routing honours and records of it.
     */
    Trace trace(HttpServerRequest http) {
        ClientScope client = clients.byKey(ClientKey.presented(http.getHeader("Authorization"),
                http.getHeader("x-api-key"))).map(c -> new ClientScope(c.name(), c.rules(), c.models(), c.tasks()))
                .orElse(ClientScope.NONE);
        return new Trace(RequestIds.of(http.response()), java.time.Instant.now(), client);
    }

    /** The body as one strict JSON object within the size limit (a 413 or 400 otherwise). */
    ObjectNode read(String body, Long contentLength) {
        if ((contentLength != null && contentLength > maxBody)
                || body.getBytes(StandardCharsets.UTF_8).length > maxBody) {
            throw new ApiError(413, "invalid_request_error", "request_too_large", null,
                    "The request body is larger than this gateway accepts (" + maxBody + " bytes).");
        }
        return ChatRequestValidator.object(body);
    }

    /** A JSON answer, with what served it. */
    Response json(RouteRequest request, Served served, Object entity) {
        return servedBy(Response.status(served.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(entity),
                request, served).build();
    }

    /** A stream through the door's writer; a client that leaves is seen by its closed connection. */
    Response stream(RouteRequest request, Served served, StreamWriter writer, HttpServerRequest http) {
        StreamRelay relay = served.stream();
        HttpServerResponse response = http.response();
        StreamingOutput output = out -> relay.relay(out, writer, response::closed);
        return servedBy(Response.ok(output).type("text/event-stream").header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no"), request, served).build();
    }

    /** A stream written by a translating door. */
    Response stream(RouteRequest request, Served served, DoorStream door, Runnable beforeTheEnd,
                    HttpServerRequest http) {
        return stream(request, served, new DoorStreamWriter(door, beforeTheEnd), http);
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
