package dev.freeway.api;

import dev.freeway.api.error.ApiError;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.messages.AnthropicError;
import dev.freeway.api.messages.AnthropicErrors;
import dev.freeway.api.messages.MessagesAnswers;
import dev.freeway.api.messages.MessagesRequests;
import dev.freeway.api.messages.MessagesStream;
import dev.freeway.api.messages.MessagesTokenCount;
import dev.freeway.quota.TokenEstimator;
import dev.freeway.routing.Endpoint;
import dev.freeway.routing.RequestReader;
import dev.freeway.routing.RouteFailure;
import dev.freeway.routing.RouteRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.function.Supplier;

/**
 * Anthropic's Messages API, served through chat completions for every provider, so coding agents that speak it
 * (Claude Code, the Anthropic SDKs) use the same pool. Every error is in Anthropic's shape with the status its SDK
 * maps; {@code anthropic-version} is accepted whatever its value.
 */
@Path("/v1/messages")
public class MessagesResource {

    private final RequestReader reader;
    private final FrontDoor door;
    private final TokenEstimator estimator;
    private final RouteFailureMapper failures;

    public MessagesResource(RequestReader reader, FrontDoor door, TokenEstimator estimator,
                            RouteFailureMapper failures) {
        this.reader = reader;
        this.door = door;
        this.estimator = estimator;
        this.failures = failures;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(String body, @HeaderParam("Content-Length") Long contentLength,
                           @HeaderParam("x-freeway-task") String taskHeader, @Context HttpServerRequest http) {
        return inAnthropicShape(() -> {
            ObjectNode request = door.read(body, contentLength);
            RouteRequest route = reader.read(ChatRequestValidator.validated(MessagesRequests.toChat(request)),
                    taskHeader).through(Endpoint.MESSAGES).traced(door.trace(http));
            return door.serve(route, new FrontDoor.DoorAnswer(
                    answer -> MessagesAnswers.toMessage(answer.json(), request, answer.usage()),
                    FrontDoor.DoorAnswer.events(() -> new MessagesStream(request, route.promptTokens()), () -> { })),
                    http);
        });
    }

    /** Anthropic's token counting, answered from Freeway's own estimate: no provider is asked. */
    @POST
    @Path("count_tokens")
    @Consumes(MediaType.WILDCARD)
    public Response countTokens(String body, @HeaderParam("Content-Length") Long contentLength) {
        return inAnthropicShape(() -> Response.ok(MessagesTokenCount.count(door.read(body, contentLength), estimator))
                .type(MediaType.APPLICATION_JSON_TYPE).build());
    }

    private Response inAnthropicShape(Supplier<Response> answer) {
        try {
            return answer.get();
        } catch (ApiError error) {
            return anthropic(error);
        } catch (RouteFailure failure) {
            return anthropic(failures.toApiError(failure));
        }
    }

    static Response anthropic(ApiError error) {
        AnthropicError rendered = AnthropicErrors.render(error, null);
        Response.ResponseBuilder response = Response.status(rendered.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(rendered.body()).header("x-should-retry", String.valueOf(error.retryable()));
        rendered.headers().forEach(response::header);
        return response.build();
    }
}
