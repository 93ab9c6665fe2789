package dev.freeway.api;

import dev.freeway.config.FreewayConfig;
import dev.freeway.routing.FallbackExecutor;
import dev.freeway.routing.RequestReader;
import dev.freeway.routing.RouteRequest;
import dev.freeway.routing.Served;
import dev.freeway.routing.ServedStream;
import dev.freeway.routing.StreamRelay;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** OpenAI's chat completions endpoint: validate, route, and answer as the provider did. */
@Path("/v1/chat/completions")
public class ChatResource {

    private final FallbackExecutor executor;
    private final RequestReader reader;
    private final FreewayConfig config;

    public ChatResource(FallbackExecutor executor, RequestReader reader, FreewayConfig config) {
        this.executor = executor;
        this.reader = reader;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response chat(String body, @HeaderParam("Content-Length") Long contentLength,
                         @HeaderParam("x-freeway-task") String taskHeader) {
        long limit = config.api().maxBodySize().asLongValue();
        if ((contentLength != null && contentLength > limit) || body.getBytes(StandardCharsets.UTF_8).length > limit) {
            throw new ApiError(413, "invalid_request_error", "request_too_large", null,
                    "The request body is larger than this gateway accepts (" + limit + " bytes).");
        }
        RouteRequest request = reader.read(ChatRequestValidator.parse(body), taskHeader);
        if (request.stream()) {
            return stream(request);
        }
        Served served = executor.complete(request);
        Response.ResponseBuilder response = Response.status(served.completion().answer().status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(served.completion().answer().body());
        servedBy(response, request, served.candidate().provider().name(), served.candidate().model(),
                served.account().id(), served.attempts(), served.headers());
        return response.build();
    }

    private Response stream(RouteRequest request) {
        ServedStream served = executor.stream(request);
        StreamRelay relay = new StreamRelay(served);
        StreamingOutput output = relay::relay;
        Response.ResponseBuilder response = Response.ok(output)
                .type("text/event-stream")
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        servedBy(response, request, served.candidate().provider().name(), served.candidate().model(),
                served.account().id(), served.attempts(), served.headers());
        return response.build();
    }

    /** Says what served the request; the account id, never a key. */
    private static void servedBy(Response.ResponseBuilder response, RouteRequest request, String provider,
                                 String model, String account, int attempts, Map<String, String> rateLimits) {
        response.header("x-freeway-task", request.task().key())
                .header("x-freeway-provider", provider)
                .header("x-freeway-model", model)
                .header("x-freeway-account", account)
                .header("x-freeway-attempts", attempts);
        rateLimits.forEach(response::header);
    }
}
