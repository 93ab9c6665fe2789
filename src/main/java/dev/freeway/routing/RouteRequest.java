package dev.freeway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.routing.task.Task;
import dev.freeway.routing.task.TaskEvidence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * What routing knows about one request.
 *
 * @param body          the client's request, never modified
 * @param model         what the client asked for (auto, auto:task, provider/model or a bare id)
 * @param task          the task, from the alias, the x-freeway-task header or the classifier
 * @param promptTokens  estimated prompt tokens
 * @param outputTokens  requested, or default, output tokens
 * @param needs         capabilities the request needs: tools, json, vision
 * @param endpoint      the front door it came through
 * @param fit           what else a candidate's model must offer, as the door knows it (an embedding model's
 *                      dimensions and input sizes); a reason when it does not, empty when it does
 * @param trace         the request's id and arrival
 * @param evidence      why the task is what it is (the alias, the header, or the classifier's signals)
 */
public record RouteRequest(ObjectNode body, String model, Task task, long promptTokens, long outputTokens,
                           Set<String> needs, Endpoint endpoint, Fit fit, Trace trace, TaskEvidence evidence) {

    /** A chat request, from chat completions. */
    public RouteRequest(ObjectNode body, String model, Task task, long promptTokens, long outputTokens,
                        Set<String> needs) {
        this(body, model, task, promptTokens, outputTokens, needs, Endpoint.CHAT_COMPLETIONS, Fit.ANY, Trace.NONE,
                TaskEvidence.of(task, "given"));
    }

    /**
     * An embeddings request: the provider's body with the client's model (each candidate's replaces it), and the
     * tokens of its inputs.
     */
    public static RouteRequest embeddings(ObjectNode upstream, String model, long inputTokens, Fit fit) {
        return new RouteRequest(upstream, model, Task.SIMPLE, inputTokens, 0, Set.of(), Endpoint.EMBEDDINGS, fit,
                Trace.NONE, TaskEvidence.of(Task.SIMPLE, "embeddings"));
    }

    /** This request as it came through another door. */
    public RouteRequest through(Endpoint door) {
        return new RouteRequest(body, model, task, promptTokens, outputTokens, needs, door, fit, trace, evidence);
    }

    /** This request with its id and arrival. */
    public RouteRequest traced(Trace which) {
        return new RouteRequest(body, model, task, promptTokens, outputTokens, needs, endpoint, fit, which, evidence);
    }

    /** This request with the evidence its task was decided on. */
    RouteRequest decidedBy(TaskEvidence why) {
        return new RouteRequest(body, model, why.task(), promptTokens, outputTokens, needs, endpoint, fit, trace, why);
    }

    /** A front door's own test of a candidate's model. */
    @FunctionalInterface
    public interface Fit {
        Fit ANY = spec -> Optional.empty();

        /** Why this model cannot serve the request, or empty when it can. */
        Optional<String> whyNot(dev.freeway.catalog.ModelSpec spec);
    }

    public boolean stream() {
        return body.path("stream").asBoolean(false);
    }

    /** Tokens the model's context window must hold. */
    public long windowNeeded() {
        return promptTokens + outputTokens;
    }

    /** Capabilities a request needs, read from its fields. */
    public static Set<String> needsOf(JsonNode body) {
        Set<String> needs = new HashSet<>();
        if (body.path("tools").size() > 0 || body.path("functions").size() > 0) {
            needs.add("tools");
        }
        String format = body.path("response_format").path("type").asText("");
        if (format.startsWith("json")) {
            needs.add("json");
        }
        for (JsonNode message : body.path("messages")) {
            for (JsonNode part : message.path("content")) {
                if ("image_url".equals(part.path("type").asText())) {
                    needs.add("vision");
                }
            }
        }
        return Set.copyOf(needs);
    }

    /**
     * Identifies a conversation across its turns: the system prompt and the first user message do not change as it
     * grows, so every turn lands on the same account and its prompt cache stays warm. Null for a request with
     * neither (embeddings have no messages): there is no conversation to keep together.
     */
    public String conversationKey() {
        String system = "";
        String firstUser = "";
        for (JsonNode message : body.path("messages")) {
            String role = message.path("role").asText();
            if (system.isEmpty() && ("system".equals(role) || "developer".equals(role))) {
                system = message.path("content").toString();
            } else if ("user".equals(role)) {
                firstUser = message.path("content").toString();
                break;
            }
        }
        if (system.isEmpty() && firstUser.isEmpty()) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((system + "\u0000" + firstUser).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }
}
