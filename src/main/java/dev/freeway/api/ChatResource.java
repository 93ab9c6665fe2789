package dev.freeway.api;

import dev.freeway.routing.RequestReader;
import dev.freeway.routing.RouteRequest;
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

    private static final FrontDoor.DoorAnswer AS_THE_PROVIDER_ANSWERED =
            new FrontDoor.DoorAnswer(FrontDoor.Completion::raw, () -> ChatStream.WRITER);

    private final RequestReader reader;
    private final FrontDoor door;

    public ChatResource(RequestReader reader, FrontDoor door) {
        this.reader = reader;
        this.door = door;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response chat(String body, @HeaderParam("Content-Length") Long contentLength,
                         @HeaderParam("x-freeway-task") String taskHeader, @Context HttpServerRequest http) {
        RouteRequest request = reader.read(ChatRequestValidator.validated(door.read(body, contentLength)), taskHeader)
                .traced(door.trace(http));
        return door.serve(request, AS_THE_PROVIDER_ANSWERED, http);
    }
}
