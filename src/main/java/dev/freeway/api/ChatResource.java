package dev.freeway.api;

import dev.freeway.config.FreewayConfig;
import dev.freeway.routing.FallbackExecutor;
import dev.freeway.routing.RequestReader;
import dev.freeway.routing.RouteRequest;
import dev.freeway.routing.Served;
import dev.freeway.routing.StreamRelay;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

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
                         @HeaderParam("x-freeway-task") String taskHeader, @Context HttpServerResponse http) {
        long limit = config.api().maxBodySize().asLongValue();
        if ((contentLength != null && contentLength > limit) || largerThan(body, limit)) {
            throw new ApiError(413, "invalid_request_error", "request_too_large", null,
                    "The request body is larger than this gateway accepts (" + limit + " bytes).");
        }
        RouteRequest request = reader.read(ChatRequestValidator.parse(body), taskHeader);
        Served served = executor.serve(request);
        if (served.stream() != null) {
            return stream(request, served, http);
        }
        Response.ResponseBuilder response = Response.status(served.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(served.body());
        servedBy(response, request, served);
        return response.build();
    }

    private Response stream(RouteRequest request, Served served, HttpServerResponse http) {
        StreamRelay relay = served.stream();
        // A client that leaves is seen by its closed connection, not when the upstream next sends something.
        StreamingOutput output = out -> relay.relay(out, ChatStream.WRITER, http::closed);
        Response.ResponseBuilder response = Response.ok(output)
                .type("text/event-stream")
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no");
        servedBy(response, request, served);
        return response.build();
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

    /** Says what served the request; the account id, never a key. */
    private static void servedBy(Response.ResponseBuilder response, RouteRequest request, Served served) {
        response.header("x-freeway-task", request.task().key())
                .header("x-freeway-provider", served.candidate().provider().name())
                .header("x-freeway-model", served.candidate().model())
                .header("x-freeway-account", served.account().id())
                .header("x-freeway-attempts", served.attempts());
        Map<String, String> rateLimits = served.headers();
        rateLimits.forEach(response::header);
    }
}
