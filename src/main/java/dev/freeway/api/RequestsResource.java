package dev.freeway.api;

import dev.freeway.api.error.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.config.Account;
import dev.freeway.config.Pool;
import dev.freeway.quota.QuotaUnavailableException;
import dev.freeway.quota.RequestLog;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * Admin: the recent requests, newest first, as the operator's view lists them: when, id, door, task and why, model
 * asked, what served it (or the answer the client got and why each candidate was skipped), tokens, latency. No
 * prompt or answer unless {@code freeway.requests.keep-content=true}. Filters: {@code id}, {@code provider},
 * {@code status}.
 */
@Path("/v1/requests")
public class RequestsResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MOST = 5000;

    private final RequestLog log;
    private final List<String> accounts;

    public RequestsResource(RequestLog log, Pool pool) {
        this.log = log;
        this.accounts = pool.all().stream().flatMap(p -> p.accounts().stream()).map(Account::quotaId).toList();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode recent(@QueryParam("limit") @DefaultValue("500") String limitText, @QueryParam("id") String id,
                             @QueryParam("provider") String provider, @QueryParam("status") String statusText) {
        // read here rather than by the REST layer, which answers a number it cannot convert with a 404
        int limit = whole(limitText, "limit", 1, MOST);
        Integer status = statusText == null ? null : whole(statusText, "status", 100, 599);
        List<String> entries;
        try {
            entries = log.recent(accounts, limit);
        } catch (QuotaUnavailableException e) {
            throw new ApiError(503, "server_error", "quota_store_unavailable", null,
                    "Freeway cannot reach Redis, where recent requests are kept; try again shortly.").retryAfter(2);
        }
        ObjectNode answer = JSON.createObjectNode().put("object", "list");
        ArrayNode data = answer.putArray("data");
        for (String text : entries) {
            JsonNode entry = parse(text);
            if (entry != null && matches(entry, id, provider, status)) {
                data.add(entry);
            }
        }
        return answer;
    }

    /** A query parameter's whole number from {@code least} to {@code most}, else a 400 naming it. */
    private static int whole(String text, String param, int least, int most) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= least && value <= most) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw ApiError.invalid(param, param + " must be a whole number from " + least + " to " + most + ".");
    }

    private static boolean matches(JsonNode entry, String id, String provider, Integer status) {
        return (id == null || id.equals(entry.path("id").asText()))
                && (provider == null || provider.equals(entry.path("served").path("provider").asText())
                || entry.path("skipped").findValuesAsText("candidate").stream().anyMatch(c -> c.startsWith(provider + "/")))
                && (status == null || status == entry.path("status").asInt());
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return null; // not written by Freeway: left out
        }
    }
}
