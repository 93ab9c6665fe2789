package dev.freeway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.provider.Usage;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the recent-requests list keeps of one request (one JSON text), and the reasons a refused one is counted
 * under. No prompt or answer text is kept unless {@code freeway.requests.keep-content} says so.
 */
final class RequestRecord {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MOST_SKIPS = 12;
    private static final int LONGEST_TEXT = 2000;

    private RequestRecord() {
    }

    /** A request that was served, as its attempt settled it. */
    static String served(RouteRequest request, Attempt attempt, Attempts attempts, Duration latency, Usage usage,
                         boolean estimated, String ending, String answer, boolean keepContent, Instant now) {
        ObjectNode entry = common(request, attempts.calls(), attempts.skipped(), now);
        entry.put("status", 200).put("ending", ending);
        entry.putObject("served").put("provider", attempt.candidate().provider().name())
                .put("model", attempt.candidate().model()).put("account", attempt.account().id());
        entry.putObject("tokens").put("input", usage.promptTokens()).put("output", usage.completionTokens())
                .put("estimated", estimated);
        entry.put("latency_ms", latency.toMillis());
        entry.put("total_ms", Duration.between(request.trace().received(), now).toMillis());
        if (keepContent) {
            entry.put("prompt", cut(lastUserText(request.body())));
            entry.put("answer", cut(answer));
        }
        return write(entry);
    }

    /** A request no candidate served: the answer the client got, and why each candidate was skipped. */
    static String refused(RouteRequest request, RouteFailure failure, int calls, boolean keepContent, Instant now) {
        ObjectNode entry = common(request, calls, failure.skipped(), now);
        entry.put("status", failure.status()).put("error", failure.code()).put("kind", key(failure.kind().name()));
        entry.put("total_ms", Duration.between(request.trace().received(), now).toMillis());
        if (keepContent) {
            entry.put("prompt", cut(lastUserText(request.body())));
        }
        return write(entry);
    }

    /**
     * What a refusal is counted under: {@code total:<answer>}, and for each provider its candidates met, the
     * strongest reason among them ({@code no_room}, {@code parked}, {@code key_refused}, {@code upstream_failing},
     * {@code never_fits}, {@code client_error}) as {@code <reason>:<provider>}.
     */
    static List<String> reasons(RouteFailure failure) {
        Map<String, String> byProvider = new LinkedHashMap<>();
        for (Skip skip : failure.skipped()) {
            String reason = reason(skip.why());
            if (reason == null) {
                continue;
            }
            String provider = skip.candidate().substring(0, skip.candidate().indexOf('/'));
            byProvider.merge(provider, reason, (a, b) -> rank(a) <= rank(b) ? a : b);
        }
        if (failure.kind() == RouteFailure.Kind.CLIENT_ERROR || failure.kind() == RouteFailure.Kind.CONTENT_FILTERED) {
            byProvider.replaceAll((provider, reason) -> "client_error");
        }
        List<String> reasons = new java.util.ArrayList<>();
        reasons.add("total:" + key(failure.kind().name()));
        byProvider.forEach((provider, reason) -> reasons.add(reason + ":" + provider));
        return reasons;
    }

    private static final List<String> STRONGEST_FIRST = List.of("no_room", "parked", "key_refused",
            "upstream_failing", "never_fits", "client_error");

    private static int rank(String reason) {
        return STRONGEST_FIRST.indexOf(reason);
    }

    private static String reason(Skip.Why why) {
        return switch (why) {
            case NO_ROOM, EXHAUSTED, RATE_LIMITED -> "no_room";
            case PARKED -> "parked";
            case KEY_REFUSED -> "key_refused";
            case FAILED, TIMED_OUT, CIRCUIT_OPEN -> "upstream_failing";
            case NEVER_FITS -> "never_fits";
            case CONTEXT_TOO_LONG, UNFIT -> null;
        };
    }

    private static ObjectNode common(RouteRequest request, int calls, List<Skip> skipped, Instant now) {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("at", now.toString());
        entry.put("id", request.trace().requestId());
        entry.put("endpoint", request.endpoint().label());
        entry.put("task", request.task().key());
        request.evidence().signals().forEach(entry.putArray("task_evidence")::add);
        entry.put("model", request.model());
        entry.put("stream", request.stream());
        entry.put("attempts", calls);
        ArrayNode skips = entry.putArray("skipped");
        skipped.stream().limit(MOST_SKIPS).forEach(skip -> skips.addObject().put("candidate", skip.candidate())
                .put("account", skip.account()).put("why", key(skip.why().name())).put("reason", skip.reason()));
        return entry;
    }

    private static String lastUserText(JsonNode body) {
        String text = "";
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                JsonNode content = message.path("content");
                text = content.isTextual() ? content.asText() : content.toString();
            }
        }
        return text;
    }

    private static String cut(String text) {
        return text == null || text.length() <= LONGEST_TEXT ? text : text.substring(0, LONGEST_TEXT) + "…";
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String write(ObjectNode entry) {
        try {
            return JSON.writeValueAsString(entry);
        } catch (Exception e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
