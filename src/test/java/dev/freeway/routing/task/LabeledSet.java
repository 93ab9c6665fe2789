package dev.freeway.routing.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * A labeled prompt set in {@code src/test/resources/classifier/}: one JSON object a line with {@code task},
 * {@code lang} (ISO 639-1) and {@code prompt}, and optionally {@code system}, {@code tools} (the request declares a
 * tool), {@code image} (the message also carries an image part), {@code history} (earlier turns, user first,
 * alternating), {@code estimated_tokens} (else about four characters a token) and {@code hard} (built to mislead).
 * The tuning set ({@code labeled-prompts.jsonl}) is what the lexicon is tuned on; the held-out set
 * ({@code held-out.jsonl}) is written separately and never tuned on.
 */
final class LabeledSet {

    static final String TUNING = "/classifier/labeled-prompts.jsonl";
    static final String HELD_OUT = "/classifier/held-out.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    private LabeledSet() {
    }

    /** One labeled prompt. */
    record Row(JsonNode json) {

        Task task() {
            return Task.parse(json.path("task").asText()).orElseThrow(() -> new IllegalArgumentException(
                    "unknown task in " + json));
        }

        String lang() {
            return json.path("lang").asText("?");
        }

        String prompt() {
            return json.path("prompt").asText();
        }

        /** The chat request a client would send for this row. */
        ObjectNode request() {
            ObjectNode request = JSON.createObjectNode().put("model", "auto");
            ArrayNode messages = request.putArray("messages");
            Optional.ofNullable(json.get("system")).ifPresent(system -> message(messages, "system", system.asText()));
            int turn = 0;
            for (JsonNode earlier : json.path("history")) {
                message(messages, turn++ % 2 == 0 ? "user" : "assistant", earlier.asText());
            }
            if (json.path("image").asBoolean()) {
                ArrayNode parts = messages.addObject().put("role", "user").putArray("content");
                if (!prompt().isEmpty()) {
                    parts.addObject().put("type", "text").put("text", prompt());
                }
                parts.addObject().put("type", "image_url").putObject("image_url")
                        .put("url", "https://example.com/photo.jpg");
            } else {
                message(messages, "user", prompt());
            }
            if (json.path("tools").asBoolean()) {
                ObjectNode function = request.putArray("tools").addObject().put("type", "function")
                        .putObject("function");
                function.put("name", "lookup").put("description", "Looks the request up in the company's systems.");
                function.putObject("parameters").put("type", "object").putObject("properties")
                        .putObject("query").put("type", "string");
            }
            return request;
        }

        long estimatedTokens() {
            if (json.has("estimated_tokens")) {
                return json.get("estimated_tokens").asLong();
            }
            int chars = json.path("system").asText().length() + prompt().length();
            for (JsonNode earlier : json.path("history")) {
                chars += earlier.asText().length();
            }
            return chars / 4 + (json.path("image").asBoolean() ? 765 : 0) + 8;
        }
    }

    /** The rows of a set on the test class path, or empty when the file is not there. */
    static Optional<List<Row>> read(String resource) {
        InputStream in = LabeledSet.class.getResourceAsStream(resource);
        if (in == null) {
            return Optional.empty();
        }
        List<Row> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    rows.add(new Row(JSON.readTree(line)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(rows);
    }

    /** Classifies every row and counts what came out. */
    static Report evaluate(List<Row> rows, BiFunction<JsonNode, Long, TaskEvidence> classifier) {
        Report report = new Report();
        for (Row row : rows) {
            TaskEvidence got = classifier.apply(row.request(), row.estimatedTokens());
            report.count(row, got);
        }
        return report;
    }

    /** Accuracy overall, per task and per language, the confusion matrix and the misses of one run over a set. */
    static final class Report {
        private final Task[] tasks = Task.values();
        private final int[][] confusion = new int[tasks.length][tasks.length];
        private final Map<String, int[]> languages = new TreeMap<>();
        private final List<String> misses = new ArrayList<>();
        private int right;
        private int total;

        private void count(Row row, TaskEvidence got) {
            Task expected = row.task();
            boolean ok = got.task() == expected;
            confusion[expected.ordinal()][got.task().ordinal()]++;
            int[] lang = languages.computeIfAbsent(row.lang(), l -> new int[2]);
            lang[0] += ok ? 1 : 0;
            lang[1]++;
            right += ok ? 1 : 0;
            total++;
            if (!ok) {
                misses.add(expected.key() + " -> " + got.task().key() + " (" + got.summary() + ") [" + row.lang()
                        + "]: " + oneLine(row.prompt()));
            }
        }

        double accuracy() {
            return total == 0 ? 0 : (double) right / total;
        }

        /** Accuracy on the rows labeled with the task; empty when the set has none. */
        Optional<Double> accuracy(Task task) {
            int[] row = confusion[task.ordinal()];
            int labeled = 0;
            for (int count : row) {
                labeled += count;
            }
            return labeled == 0 ? Optional.empty() : Optional.of((double) row[task.ordinal()] / labeled);
        }

        List<String> misses() {
            return misses;
        }

        /** The figures as the test output and the README show them. */
        String text(String name) {
            StringBuilder out = new StringBuilder(String.format("%s: %d/%d = %.1f%%%n", name, right, total,
                    100.0 * accuracy()));
            out.append("  per task:");
            for (Task task : tasks) {
                accuracy(task).ifPresent(a -> out.append(String.format(" %s %.1f%%", task.key(), 100 * a)));
            }
            out.append("\n  per language:");
            languages.forEach((lang, counts) -> out.append(String.format(" %s %d/%d", lang, counts[0], counts[1])));
            out.append("\n  confusion (rows: labeled, columns: classified)\n").append(String.format("  %-12s", ""));
            for (Task task : tasks) {
                out.append(String.format("%12s", task.key()));
            }
            for (Task expected : tasks) {
                out.append(String.format("%n  %-12s", expected.key()));
                for (Task got : tasks) {
                    out.append(String.format("%12d", confusion[expected.ordinal()][got.ordinal()]));
                }
            }
            return out.toString();
        }
    }

    private static void message(ArrayNode messages, String role, String content) {
        messages.addObject().put("role", role).put("content", content);
    }

    private static String oneLine(String prompt) {
        String line = prompt.replace('\n', ' ').replace('\t', ' ');
        return line.length() > 100 ? line.substring(0, 100) + "..." : line;
    }
}
