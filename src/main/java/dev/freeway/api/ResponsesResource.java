package dev.freeway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.error.ApiError;
import dev.freeway.api.responses.ClientIdentity;
import dev.freeway.api.responses.ResponseEnvelope;
import dev.freeway.api.responses.ResponseStore;
import dev.freeway.api.responses.ResponsesAnswers;
import dev.freeway.api.responses.ResponsesRequests;
import dev.freeway.api.responses.ResponsesStream;
import dev.freeway.api.responses.ResponsesTurn;
import dev.freeway.api.responses.StoredResponse;
import dev.freeway.routing.Endpoint;
import dev.freeway.routing.RequestReader;
import dev.freeway.routing.RouteRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;

/**
 * OpenAI's Responses API, served through chat completions: the request translated, routed like a chat request, and
 * the answer (or the stream, event by event) translated back. Responses are kept in Redis for
 * {@code previous_response_id} and GET/DELETE, each for the client key that created it only.
 */
@Path("/v1/responses")
public class ResponsesResource {

    private static final Logger LOG = Logger.getLogger(ResponsesResource.class);

    private final RequestReader reader;
    private final FrontDoor door;
    private final ResponseStore store;
    private final ClientKey clients;
    private final Clock clock;

    public ResponsesResource(RequestReader reader, FrontDoor door, ResponseStore store, ClientKey clients,
                             Clock clock) {
        this.reader = reader;
        this.door = door;
        this.store = store;
        this.clients = clients;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response create(String body, @HeaderParam("Content-Length") Long contentLength,
                           @HeaderParam("x-freeway-task") String taskHeader,
                           @HeaderParam("Authorization") String authorization, @HeaderParam("x-api-key") String apiKey,
                           @Context HttpServerRequest http) {
        ObjectNode request = door.read(body, contentLength);
        ClientIdentity client = clients.of(authorization, apiKey);
        ResponsesTurn turn = ResponsesRequests.toChat(request, history(client, request.get("previous_response_id")));
        RouteRequest route = reader.read(ChatRequestValidator.validated(turn.chat()), taskHeader)
                .through(Endpoint.RESPONSES).traced(door.trace(http));
        ResponseEnvelope envelope = ResponseEnvelope.of(request, clock.instant());
        return door.serve(route, new FrontDoor.DoorAnswer(answer -> {
            ObjectNode response = ResponsesAnswers.toResponse(answer.json(), envelope, answer.usage());
            keep(client, turn, response);
            return response;
        }, () -> {
            ResponsesStream events = new ResponsesStream(envelope);
            return new DoorStreamWriter(events, () -> keep(client, turn, events.response()));
        }), http);
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode get(@PathParam("id") String id, @HeaderParam("Authorization") String authorization,
                          @HeaderParam("x-api-key") String apiKey) {
        return store.get(clients.of(authorization, apiKey), id).map(StoredResponse::response)
                .orElseThrow(() -> store.notFound(id));
    }

    @DELETE
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode delete(@PathParam("id") String id, @HeaderParam("Authorization") String authorization,
                             @HeaderParam("x-api-key") String apiKey) {
        if (!store.delete(clients.of(authorization, apiKey), id)) {
            throw store.notFound(id);
        }
        return ResponseStore.deleted(id);
    }

    /** The conversation a previous response left, or a 404 when it is gone (never another client's). */
    private List<JsonNode> history(ClientIdentity client, JsonNode previous) {
        if (previous == null || previous.isNull() || !previous.isTextual()) {
            return List.of(); // a wrong type is refused, naming the field, by the translation
        }
        String id = previous.asText();
        return store.get(client, id).map(StoredResponse::conversation).orElseThrow(() -> store.previousNotFound(id));
    }

    /**
     * Keeps a served response for later turns. One that cannot be kept is still the client's answer, already
     * served and counted: it is answered with {@code "store": false}, so the client knows it cannot continue from it.
     */
    private void keep(ClientIdentity client, ResponsesTurn turn, ObjectNode response) {
        if (!turn.store() || response == null) {
            return;
        }
        String id = response.path("id").asText();
        try {
            if (store.put(client, new StoredResponse(id, response, turn.conversation(response)))
                    == ResponseStore.Stored.TOO_LARGE) {
                LOG.warnf("Response %s is larger than freeway.responses.max-bytes and was not kept", id);
                response.put("store", false);
            }
        } catch (ApiError unreachable) {
            LOG.warnf("Response %s was served but not kept: %s", id, unreachable.getMessage());
            response.put("store", false);
        }
    }
}
