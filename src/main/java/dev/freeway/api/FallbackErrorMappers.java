package dev.freeway.api;

import dev.freeway.api.error.ApiError;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Errors raised outside Freeway's own code still reach the client in its door's shape: OpenAI's, or Anthropic's
 * under {@code /v1/messages}.
 */
public class FallbackErrorMappers {

    private static final Logger LOG = Logger.getLogger(FallbackErrorMappers.class);
    private final ApiErrorMapper mapper = new ApiErrorMapper();

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpServerRequest http) {
        return answer(http, new ApiError(404, "invalid_request_error", "not_found", null,
                "No such endpoint. Freeway serves POST /v1/chat/completions, /v1/responses, /v1/completions,"
                        + " /v1/embeddings and /v1/messages, and GET /v1/models."));
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpServerRequest http) {
        return answer(http, new ApiError(405, "invalid_request_error", "method_not_allowed", null,
                "This method is not allowed on this endpoint."));
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e, HttpServerRequest http) {
        return answer(http, new ApiError(415, "invalid_request_error", "unsupported_media_type", null,
                "Send the request body as application/json."));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest http) {
        int status = e.getResponse().getStatus();
        String type = status == 401 ? "authentication_error" : "invalid_request_error";
        return answer(http, new ApiError(status, type, null, null,
                Response.Status.fromStatusCode(status) == null ? "Request failed" : Response.Status.fromStatusCode(status).getReasonPhrase()));
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, HttpServerRequest http) {
        if (e instanceof ApiError error) {
            return answer(http, error);
        }
        // The message may quote an upstream answer; keep it in the log (keys are never in it), not in the response.
        LOG.error("Unexpected failure while serving a request", e);
        return answer(http, new ApiError(500, "server_error", "internal_error", null,
                "Freeway failed unexpectedly while serving this request; the log has the details."));
    }

    private Response answer(HttpServerRequest http, ApiError error) {
        return HttpLayerErrors.isAnthropic(http == null ? null : http.path()) ? MessagesResource.anthropic(error)
                : mapper.toResponse(error);
    }
}
