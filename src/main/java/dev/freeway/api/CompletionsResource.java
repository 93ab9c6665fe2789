package dev.freeway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.completions.CompletionsAnswers;
import dev.freeway.api.completions.CompletionsRequests;
import dev.freeway.api.completions.CompletionsStream;
import dev.freeway.routing.Endpoint;
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

/** OpenAI's legacy completions, served through chat completions: one prompt, one chat turn. */
@Path("/v1/completions")
public class CompletionsResource {

    private final FallbackExecutor executor;
    private final RequestReader reader;
    private final FrontDoor door;

    public CompletionsResource(FallbackExecutor executor, RequestReader reader, FrontDoor door) {
        this.executor = executor;
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
        Served served = executor.serve(route);
        String model = request.path("model").asText();
        if (served.stream() != null) {
            return door.stream(route, served, new CompletionsStream(model,
                    CompletionsRequests.wantsStreamUsage(request)), () -> { }, http);
        }
        return door.json(route, served, CompletionsAnswers.toCompletion(served.json(), model, served.usage()));
    }
}
