package dev.freeway.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The recent-requests entries (one JSON text each, as the request path writes them; see {@code GET /v1/requests})
 * worded for the dashboard's table: one row a request, with what its filters match on. No prompt or answer text
 * unless the entry holds it ({@code freeway.requests.keep-content=true}).
 */
public final class RecentRequests {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The front doors, as entries name them, for the door filter. */
    static final List<String> DOORS = List.of("chat_completions", "responses", "completions", "messages",
            "embeddings");

    private RecentRequests() {
    }

    /**
     * One request.
     *
     * @param providers every provider it reached or skipped, space-separated (what the provider filter matches)
     * @param servedBy  provider/model · account, or null when it was refused
     * @param answer    for a refused request: its status and error code, e.g. "429 rate_limit_exceeded"
     * @param ending    how a served answer ended when not done (a stream cut short), else null
     * @param skipped   each candidate skipped or failed, with its account, kind of reason and reason
     * @param tokens    "14 in · 6 out", "estimated" when Freeway counted them, "—" when none were served
     * @param latency   the provider call's time for a served request, else the whole request's
     */
    public record Row(String at, String id, String door, boolean stream, String task, String evidence, String model,
                      int status, boolean served, String servedBy, String answer, String ending, int attempts,
                      List<Skipped> skipped, String tokens, String latency, String total, String providers,
                      String prompt, String reply) {
    }

    /** @param why the kind of reason (no_room, parked, exhausted, key_refused, failed, ...) */
    public record Skipped(String candidate, String account, String why, String reason) {
    }

    /** What the table's filters offer: the providers and statuses the rows hold, and every door. */
    public record Filters(List<String> providers, List<Integer> statuses, List<String> doors) {
    }

    static List<Row> rows(List<String> entries, ZoneId zone) {
        List<Row> rows = new ArrayList<>();
        for (String text : entries) {
            JsonNode entry = parse(text);
            if (entry != null) {
                rows.add(row(entry, zone));
            }
        }
        return List.copyOf(rows);
    }

    static Filters filters(List<Row> rows, List<String> configured) {
        Set<String> providers = new LinkedHashSet<>(configured);
        rows.forEach(r -> providers.addAll(List.of(r.providers().split(" "))));
        providers.remove("");
        Set<Integer> statuses = new TreeSet<>();
        rows.forEach(r -> statuses.add(r.status()));
        return new Filters(List.copyOf(providers), List.copyOf(statuses), DOORS);
    }

    private static Row row(JsonNode entry, ZoneId zone) {
        JsonNode served = entry.path("served");
        boolean wasServed = served.isObject();
        Set<String> providers = new LinkedHashSet<>();
        String servedBy = null;
        if (wasServed) {
            providers.add(served.path("provider").asText());
            servedBy = served.path("provider").asText() + "/" + served.path("model").asText() + " · "
                    + served.path("account").asText();
        }
        List<Skipped> skipped = new ArrayList<>();
        for (JsonNode skip : entry.path("skipped")) {
            String candidate = skip.path("candidate").asText();
            int slash = candidate.indexOf('/');
            providers.add(slash > 0 ? candidate.substring(0, slash) : candidate);
            skipped.add(new Skipped(candidate, text(skip, "account"), skip.path("why").asText(),
                    text(skip, "reason")));
        }
        List<String> evidence = new ArrayList<>();
        entry.path("task_evidence").forEach(signal -> evidence.add(signal.asText()));
        int status = entry.path("status").asInt();
        String answer = wasServed ? null : status + " " + entry.path("error").asText("");
        String ending = entry.path("ending").asText("done");
        return new Row(DashboardView.when(zone, text(entry, "at")), entry.path("id").asText(),
                entry.path("endpoint").asText(), entry.path("stream").asBoolean(), entry.path("task").asText(),
                String.join(", ", evidence), entry.path("model").asText(), status, wasServed, servedBy,
                answer == null ? null : answer.trim(), "done".equals(ending) ? null : ending,
                entry.path("attempts").asInt(), List.copyOf(skipped), tokens(entry.path("tokens")),
                milliseconds(entry.path(wasServed ? "latency_ms" : "total_ms")), milliseconds(entry.path("total_ms")),
                String.join(" ", providers), text(entry, "prompt"), text(entry, "answer"));
    }

    private static String tokens(JsonNode tokens) {
        if (!tokens.isObject()) {
            return "—";
        }
        return DashboardView.number(tokens.path("input").asLong()) + " in · "
                + DashboardView.number(tokens.path("output").asLong()) + " out"
                + (tokens.path("estimated").asBoolean() ? " (estimated)" : "");
    }

    private static String milliseconds(JsonNode ms) {
        return ms.isNumber() ? DashboardView.number(ms.asLong()) + " ms" : "—";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return null; // not written by Freeway: left out, as GET /v1/requests does
        }
    }
}
