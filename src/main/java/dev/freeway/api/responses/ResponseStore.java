package dev.freeway.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.api.error.ApiError;
import dev.freeway.cache.CappedKeeping;
import dev.freeway.quota.LuaScript;
import dev.freeway.quota.RedisScripts;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stored Responses in Redis, each scoped to the client that created it. A client's keys all start with
 * {@code fw:{resp:<client>}:} (one cluster slot): {@code r:<id>} holds the response and its conversation, and an
 * index orders them by age and counts their bytes. Every key expires after the TTL; a put that would take the client
 * over its byte cap evicts that client's oldest responses first, in the same script, so Redis cannot grow without
 * bound. Every call goes through {@link RedisScripts}, the one bounded, shared connection the quota engine uses.
 */
// Built at start-up: a freeway.responses.ttl or max-bytes of zero or less stops start-up, not every call.
@io.quarkus.runtime.Startup
@ApplicationScoped
public class ResponseStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LuaScript PUT = CappedKeeping.script("/responses/put.lua");
    private static final LuaScript DELETE = LuaScript.at("/responses/delete.lua");

    private final RedisScripts redis;
    private final Duration ttl;
    private final long maxBytes;
    private final Clock clock;

    @Inject
    public ResponseStore(RedisScripts redis, ResponsesConfig config, Clock clock) {
        this(redis, config.ttl(), config.maxBytes().asLongValue(), clock);
    }

    public ResponseStore(RedisScripts redis, Duration ttl, long maxBytes, Clock clock) {
        if (ttl.toMillis() <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("freeway.responses.ttl and max-bytes must be positive");
        }
        this.redis = redis;
        this.ttl = ttl;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /** What a put did. */
    public enum Stored {
        /** Kept until the TTL (or until newer responses of the client need its room). */
        KEPT,
        /** Larger than the whole cap: not kept, and nothing else was evicted for it. */
        TOO_LARGE
    }

    public Stored put(ClientIdentity client, StoredResponse stored) {
        ObjectNode value = JSON.createObjectNode();
        value.set("response", stored.response());
        value.putArray("conversation").addAll(stored.conversation());
        List<String> args = List.of(stored.id(), value.toString(), Long.toString(ttl.toMillis()),
                Long.toString(maxBytes), Long.toString(clock.millis()), prefix(client) + "r:");
        Response evicted = call(() -> redis.eval(PUT, keys(client, stored.id()), args));
        return evicted.toLong() < 0 ? Stored.TOO_LARGE : Stored.KEPT;
    }

    /** The stored response, or empty when it never existed, expired, was evicted, or belongs to another client. */
    public Optional<StoredResponse> get(ClientIdentity client, String id) {
        if (!validId(id)) {
            return Optional.empty();
        }
        Response found = call(() -> redis.send(Request.cmd(Command.GET).arg(prefix(client) + "r:" + id)));
        if (found == null) {
            return Optional.empty();
        }
        try {
            JsonNode value = JSON.readTree(found.toString());
            List<JsonNode> conversation = new ArrayList<>();
            value.path("conversation").forEach(conversation::add);
            return Optional.of(new StoredResponse(id, (ObjectNode) value.get("response"), conversation));
        } catch (IOException | ClassCastException e) {
            return Optional.empty(); // not written by put: treat as gone rather than fail the request
        }
    }

    /** Deletes a response; false when there was none for this client. */
    public boolean delete(ClientIdentity client, String id) {
        if (!validId(id)) {
            return false;
        }
        return call(() -> redis.eval(DELETE, keys(client, id), List.of(id))).toLong() == 1;
    }

    public Duration ttl() {
        return ttl;
    }

    /** 404 for GET or DELETE of a response that is not (or no longer) stored. */
    public ApiError notFound(String id) {
        return new ApiError(404, "invalid_request_error", "response_not_found", null, "Response with id '" + id
                + "' not found. Stored responses are kept for " + kept() + " and only for the client key that"
                + " created them.");
    }

    /** 404 for a {@code previous_response_id} that is gone: the client must send the conversation again. */
    public ApiError previousNotFound(String id) {
        return new ApiError(404, "invalid_request_error", "previous_response_not_found", "previous_response_id",
                "Previous response with id '" + id + "' not found or expired (stored responses are kept for " + kept()
                        + "). Send the whole conversation as input instead.");
    }

    /** The body DELETE /v1/responses/{id} answers with. */
    public static ObjectNode deleted(String id) {
        return JSON.createObjectNode().put("id", id).put("object", "response").put("deleted", true);
    }

    /** The TTL as people write it: 1d, 12h, 30m, 45s. */
    private String kept() {
        long seconds = ttl.toSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : Math.max(1, seconds) + "s";
    }

    private static String prefix(ClientIdentity client) {
        return "fw:{resp:" + client.value() + "}:";
    }

    /** An id a client sends is only looked up when it could be one of ours: no braces to break the hash tag. */
    private static boolean validId(String id) {
        return id != null && !id.isBlank() && id.length() <= 200 && id.indexOf('{') < 0 && id.indexOf('}') < 0;
    }

    private static List<String> keys(ClientIdentity client, String id) {
        if (!validId(id)) {
            throw new IllegalArgumentException("not a response id: " + id);
        }
        String prefix = prefix(client);
        return List.of(prefix + "r:" + id, prefix + "order", prefix + "sizes", prefix + "total");
    }

    /** A call the store needs, or the 503 that says stored responses are unavailable. */
    private Response call(java.util.function.Supplier<Response> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw new ApiError(503, "server_error", "response_store_unavailable", null,
                    "Stored responses are unavailable right now (Redis did not answer); try again, or send the"
                            + " request with store: false and without previous_response_id.");
        }
    }
}
