package dev.freeway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.completions.CompletionsAnswers;
import dev.freeway.api.completions.CompletionsRequests;
import dev.freeway.api.completions.CompletionsStream;
import dev.freeway.provider.RequestRewriter;
import dev.freeway.routing.Endpoint;
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

/** OpenAI's legacy completions, served through chat completions: one prompt, one chat turn. */
@Path("/v1/completions")
public class CompletionsResource {

    private final RequestReader reader;
    private final FrontDoor door;

    public CompletionsResource(RequestReader reader, FrontDoor door) {
        this.reader = reader;
        this.door = door;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response complete(String body, @HeaderParam("Content-Length") Long contentLength,
                             @HeaderParam("x-freeway-task") String taskHeader, @Context HttpServerRequest http) {
        ObjectNode request = door.read(body, contentLength);
        RouteRequest route = reader.read(ChatRequestValidator.validated(CompletionsRequests.toChat(request)),
                taskHeader).through(Endpoint.COMPLETIONS).traced(door.trace(http));
        String model = request.path("model").asText();
        boolean streamUsage = RequestRewriter.clientWantsStreamUsage(request);
        return door.serve(route, new FrontDoor.DoorAnswer(
                answer -> CompletionsAnswers.toCompletion(answer.json(), model, answer.usage()),
                FrontDoor.DoorAnswer.events(() -> new CompletionsStream(model, streamUsage), () -> { })), http);
    }
}
