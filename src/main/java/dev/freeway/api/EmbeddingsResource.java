package dev.freeway.api;

import dev.freeway.api.embeddings.EmbeddingsAnswers;
import dev.freeway.api.embeddings.EmbeddingsRequest;
import dev.freeway.api.embeddings.EmbeddingsRequests;
import dev.freeway.quota.TokenEstimator;
import dev.freeway.routing.RouteRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * OpenAI's embeddings: routed only to providers serving the model the client named (vectors of different models are
 * not interchangeable), counted by their input tokens, vectors in the encoding the client asked for.
 */
@Path("/v1/embeddings")
public class EmbeddingsResource {

    private final FrontDoor door;
    private final TokenEstimator estimator;

    public EmbeddingsResource(FrontDoor door, TokenEstimator estimator) {
        this.door = door;
        this.estimator = estimator;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response embed(String body, @HeaderParam("Content-Length") Long contentLength,
                          @Context HttpServerRequest http) {
        EmbeddingsRequest request = EmbeddingsRequests.parse(door.read(body, contentLength));
        RouteRequest route = RouteRequest.embeddings(EmbeddingsRequests.upstream(request, request.model()),
                request.model(), EmbeddingsRequests.inputTokens(request, estimator),
                spec -> EmbeddingsRequests.whyNot(spec, request, estimator)).traced(door.trace(http));
        return door.serve(route, FrontDoor.DoorAnswer.whole(
                answer -> EmbeddingsAnswers.toClient(answer.json(), request, answer.usage())), http);
    }
}
