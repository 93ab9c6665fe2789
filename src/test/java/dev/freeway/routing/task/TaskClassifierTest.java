package dev.freeway.routing.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The classifier against {@code classifier/labeled-prompts.jsonl}: one JSON object a line with {@code task} and
 * {@code prompt}, and optionally {@code system}, {@code tools} (the request declares a tool), {@code image} (the
 * message also carries an image part), {@code history} (earlier turns, user first, alternating),
 * {@code estimated_tokens} (else about four characters a token) and {@code hard} (a case built to mislead).
 */
class TaskClassifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LABELED_SET = "/classifier/labeled-prompts.jsonl";
    private static final double REQUIRED_ACCURACY = 0.90;

    private final TaskClassifier classifier = new TaskClassifier();

    @Test
    void classifies_the_labeled_set_with_at_least_90_percent_accuracy() throws IOException {
        List<JsonNode> rows = labeledSet();
        assertTrue(rows.size() >= 120, "the labeled set holds " + rows.size() + " prompts");
        Task[] tasks = Task.values();
        int[][] confusion = new int[tasks.length][tasks.length];
        int right = 0;
        int hard = 0;
        int hardRight = 0;
        List<String> misses = new ArrayList<>();
        for (JsonNode row : rows) {
            Task expected = Task.parse(row.path("task").asText()).orElseThrow();
            TaskClassifier.Classification got = classifier.explain(request(row), estimatedTokens(row));
            confusion[expected.ordinal()][got.task().ordinal()]++;
            boolean ok = got.task() == expected;
            right += ok ? 1 : 0;
            if (row.path("hard").asBoolean()) {
                hard++;
                hardRight += ok ? 1 : 0;
            }
            if (!ok) {
                misses.add(expected.key() + " -> " + got.task().key() + " (" + got.signal() + "): "
                        + oneLine(row.path("prompt").asText()));
            }
        }
        double accuracy = (double) right / rows.size();
        System.out.println(report(tasks, confusion, right, rows.size(), hardRight, hard));
        misses.forEach(miss -> System.out.println("  missed " + miss));
        assertTrue(accuracy >= REQUIRED_ACCURACY, String.format(
                "Classifier accuracy %.1f%% < %.0f%%; misclassified:%n%s",
                accuracy * 100, REQUIRED_ACCURACY * 100, String.join(System.lineSeparator(), misses)));
    }

    @Test
    void declared_tools_make_a_request_coding() {
        ObjectNode request = chat("What's the weather in Oslo?");
        request.putArray("tools").addObject().put("type", "function").putObject("function").put("name", "weather");
        assertEquals(new TaskClassifier.Classification(Task.CODING, "tools"), classifier.explain(request, 20));
    }

    @Test
    void legacy_functions_make_a_request_coding_but_an_empty_tools_list_does_not() {
        ObjectNode legacy = chat("Book a table for two");
        legacy.putArray("functions").addObject().put("name", "book_table");
        assertEquals(Task.CODING, classifier.classify(legacy, 20));

        ObjectNode empty = chat("Book a table for two");
        empty.putArray("tools");
        assertEquals(Task.SIMPLE, classifier.classify(empty, 20));
    }

    @Test
    void fenced_code_makes_a_request_coding() {
        ObjectNode request = chat("Is this ok?\n```\nx = load()\nsave(x)\n```");
        assertEquals(new TaskClassifier.Classification(Task.CODING, "fenced code"), classifier.explain(request, 20));
    }

    @Test
    void stack_traces_make_a_request_coding() {
        assertEquals(Task.CODING, classifier.classify(chat(
                "Exception in thread \"main\" java.lang.IllegalStateException\n\tat a.b.C.run(C.java:12)"), 30));
        assertEquals(Task.CODING, classifier.classify(chat(
                "Traceback (most recent call last):\n  File \"x.py\", line 3, in <module>\nKeyError: 'id'"), 30));
        assertEquals(Task.SIMPLE, classifier.classify(chat("See you\nat the station (gate B: west side)"), 30));
    }

    @Test
    void a_long_prompt_is_max_context_whatever_it_says() {
        ObjectNode request = chat("Write a poem about these notes.");
        request.putArray("tools").addObject().put("type", "function");
        assertEquals(Task.MAX_CONTEXT, classifier.classify(request, TaskClassifier.DEFAULT_MAX_CONTEXT_TOKENS));
        assertEquals(Task.MAX_CONTEXT, classifier.classify(request, 500_000));
        assertEquals(Task.CODING, classifier.classify(request, TaskClassifier.DEFAULT_MAX_CONTEXT_TOKENS - 1));
    }

    @Test
    void the_max_context_threshold_is_configurable() {
        TaskClassifier small = new TaskClassifier(8_000);
        assertEquals(Task.MAX_CONTEXT, small.classify(chat("hello"), 8_000));
        assertEquals(Task.SIMPLE, small.classify(chat("hello"), 7_999));
        assertThrows(IllegalArgumentException.class, () -> new TaskClassifier(0));
    }

    @Test
    void a_mixed_prompt_goes_to_what_it_mainly_asks_for() {
        assertEquals(Task.CREATIVE, classifier.classify(chat("write a poem about recursion"), 10));
        assertEquals(Task.CODING, classifier.classify(chat("write a Python function that generates haiku"), 10));
    }

    @Test
    void an_image_alone_is_simple_unless_its_text_says_otherwise() {
        assertEquals(new TaskClassifier.Classification(Task.SIMPLE, "image"),
                classifier.explain(withParts(image()), 800));
        assertEquals(Task.REASONING, classifier.classify(withParts(
                text("Prove that the angles of the triangle in this picture sum to 180 degrees."), image()), 800));
    }

    @Test
    void reads_every_text_part_of_the_message() {
        ObjectNode request = withParts(text("Here is my function."), image(),
                text("public int size() { return items.size(); }\nWhy is it slow?"));
        assertEquals(Task.CODING, classifier.classify(request, 60));
    }

    @Test
    void the_last_user_message_decides_not_earlier_turns() {
        ObjectNode request = JSON.createObjectNode();
        ArrayNode messages = request.putArray("messages");
        message(messages, "user", "Prove that there are infinitely many primes, step by step.");
        message(messages, "assistant", "Suppose there are finitely many primes p1..pn ...");
        message(messages, "user", "Now write a haiku about it.");
        assertEquals(Task.CREATIVE, classifier.classify(request, 60));
    }

    @Test
    void a_system_prompt_tips_a_leaning_message_but_never_decides_alone() {
        ObjectNode silent = JSON.createObjectNode();
        ArrayNode messages = silent.putArray("messages");
        message(messages, "system", "You are a senior Java developer. Review code for bugs.");
        message(messages, "user", "Where is Lisbon?");
        assertEquals(Task.SIMPLE, classifier.classify(silent, 30));

        ObjectNode leaning = JSON.createObjectNode();
        messages = leaning.putArray("messages");
        message(messages, "system", "You write poems, songs and short stories.");
        message(messages, "user", "Something about autumn, in a warm tone.");
        assertEquals(Task.CREATIVE, classifier.classify(leaning, 30));
        assertEquals(Task.SIMPLE, classifier.classify(chat("Something about autumn, in a warm tone."), 30));
    }

    @Test
    void a_response_schema_about_code_leans_to_coding() {
        ObjectNode request = chat("Give me the answer for the orders report.");
        ObjectNode format = request.putObject("response_format").put("type", "json_schema");
        ObjectNode properties = format.putObject("json_schema").putObject("schema").putObject("properties");
        properties.putObject("sql_query").put("type", "string").put("description", "the SQL query to run");
        properties.putObject("explanation").put("type", "string");
        assertEquals(new TaskClassifier.Classification(Task.CODING, "response_format"),
                classifier.explain(request, 40));

        ObjectNode plain = chat("Give me the shipping address.");
        plain.putObject("response_format").put("type", "json_schema").putObject("json_schema")
                .putObject("schema").putObject("properties").putObject("country_code").put("type", "string");
        assertEquals(Task.SIMPLE, classifier.classify(plain, 40));
    }

    @Test
    void a_request_without_words_is_simple() {
        assertEquals(Task.SIMPLE, classifier.classify(JSON.createObjectNode(), 0));
        assertEquals(Task.SIMPLE, classifier.classify(null, 0));
        assertEquals(Task.SIMPLE, classifier.classify(JSON.createObjectNode().putNull("messages"), 0));
    }

    @Test
    void prints_the_mean_time_per_classification() throws IOException {
        List<JsonNode> requests = new ArrayList<>();
        List<Long> estimates = new ArrayList<>();
        for (JsonNode row : labeledSet()) {
            requests.add(request(row));
            estimates.add(row.has("estimated_tokens") ? 0 : estimatedTokens(row));
        }
        // Warm up first so the figure is the compiled code's, as in a running gateway, not the interpreter's.
        int sink = classifyAll(requests, estimates, 200_000);
        int runs = 10_000;
        long start = System.nanoTime();
        sink += classifyAll(requests, estimates, runs);
        long mean = (System.nanoTime() - start) / runs;
        System.out.println("Mean classification time: " + mean + " ns over " + runs + " runs (checksum " + sink + ")");
    }

    private int classifyAll(List<JsonNode> requests, List<Long> estimates, int runs) {
        int sink = 0;
        for (int i = 0; i < runs; i++) {
            int row = i % requests.size();
            sink += classifier.classify(requests.get(row), estimates.get(row)).ordinal();
        }
        return sink;
    }

    private static String report(Task[] tasks, int[][] confusion, int right, int total, int hardRight, int hard) {
        StringBuilder out = new StringBuilder("Confusion matrix (rows: labeled, columns: classified)\n");
        out.append(String.format("%-12s", ""));
        for (Task task : tasks) {
            out.append(String.format("%12s", task.key()));
        }
        out.append('\n');
        for (Task expected : tasks) {
            out.append(String.format("%-12s", expected.key()));
            for (Task got : tasks) {
                out.append(String.format("%12d", confusion[expected.ordinal()][got.ordinal()]));
            }
            out.append('\n');
        }
        out.append(String.format("Classifier accuracy: %d/%d = %.1f%% (hard cases %d/%d)", right, total,
                100.0 * right / total, hardRight, hard));
        return out.toString();
    }

    private static List<JsonNode> labeledSet() throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        try (InputStream in = TaskClassifierTest.class.getResourceAsStream(LABELED_SET);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    rows.add(JSON.readTree(line));
                }
            }
        }
        return rows;
    }

    /** The chat request a client would send for one labeled row. */
    private static ObjectNode request(JsonNode row) {
        ObjectNode request = JSON.createObjectNode().put("model", "auto");
        ArrayNode messages = request.putArray("messages");
        Optional.ofNullable(row.get("system")).ifPresent(system -> message(messages, "system", system.asText()));
        int turn = 0;
        for (JsonNode earlier : row.path("history")) {
            message(messages, turn++ % 2 == 0 ? "user" : "assistant", earlier.asText());
        }
        String prompt = row.path("prompt").asText();
        if (row.path("image").asBoolean()) {
            ArrayNode parts = messages.addObject().put("role", "user").putArray("content");
            if (!prompt.isEmpty()) {
                parts.add(text(prompt));
            }
            parts.add(image());
        } else {
            message(messages, "user", prompt);
        }
        if (row.path("tools").asBoolean()) {
            ObjectNode function = request.putArray("tools").addObject().put("type", "function").putObject("function");
            function.put("name", "lookup").put("description", "Looks the request up in the company's systems.");
            function.putObject("parameters").put("type", "object").putObject("properties")
                    .putObject("query").put("type", "string");
        }
        return request;
    }

    private static long estimatedTokens(JsonNode row) {
        if (row.has("estimated_tokens")) {
            return row.get("estimated_tokens").asLong();
        }
        int chars = row.path("system").asText().length() + row.path("prompt").asText().length();
        for (JsonNode earlier : row.path("history")) {
            chars += earlier.asText().length();
        }
        return chars / 4 + (row.path("image").asBoolean() ? 765 : 0) + 8;
    }

    private static ObjectNode chat(String prompt) {
        ObjectNode request = JSON.createObjectNode().put("model", "auto");
        message(request.putArray("messages"), "user", prompt);
        return request;
    }

    private static ObjectNode withParts(ObjectNode... parts) {
        ObjectNode request = JSON.createObjectNode().put("model", "auto");
        ArrayNode content = request.putArray("messages").addObject().put("role", "user").putArray("content");
        for (ObjectNode part : parts) {
            content.add(part);
        }
        return request;
    }

    private static ObjectNode text(String text) {
        return JSON.createObjectNode().put("type", "text").put("text", text);
    }

    private static ObjectNode image() {
        ObjectNode part = JSON.createObjectNode().put("type", "image_url");
        part.putObject("image_url").put("url", "https://example.com/photo.jpg");
        return part;
    }

    private static void message(ArrayNode messages, String role, String content) {
        messages.addObject().put("role", role).put("content", content);
    }

    private static String oneLine(String prompt) {
        String line = prompt.replace('\n', ' ').replace('\t', ' ');
        return line.length() > 100 ? line.substring(0, 100) + "..." : line;
    }
}
