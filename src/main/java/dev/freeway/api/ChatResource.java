package dev.freeway.api;

import dev.freeway.routing.FallbackExecutor;
import dev.freeway.routing.RequestReader;
import dev.freeway.routing.RouteRequest;
import dev.freeway.routing.Served;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** OpenAI's chat completions endpoint: validate, route, and answer as the provider did. */
@Path("/v1/chat/completions")
public class ChatResource {

    private final FallbackExecutor executor;
    private final RequestReader reader;
    private final FrontDoor door;

    public ChatResource(FallbackExecutor executor, RequestReader reader, FrontDoor door) {
        this.executor = executor;
        this.reader = reader;
        this.door = door;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response chat(String body, @HeaderParam("Content-Length") Long contentLength,
                         @HeaderParam("x-freeway-task") String taskHeader, @Context HttpServerRequest http) {
        RouteRequest request = reader.read(ChatRequestValidator.validated(door.read(body, contentLength)), taskHeader)
                .traced(door.trace(http));
        Served served = executor.serve(request);
        if (served.stream() != null) {
            return door.stream(request, served, ChatStream.WRITER, http);
        }
        return door.json(request, served, served.body());
    }
}
