package dev.freeway.routing.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The classifier against the labeled sets ({@link LabeledSet}): the tuning set always, the held-out set when it is
 * there. Each prints accuracy per task and per language and the confusion matrix, and fails below
 * {@link #REQUIRED_ACCURACY} overall (the held-out set also below {@link #REQUIRED_TASK_ACCURACY} for any task).
 */
class TaskClassifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double REQUIRED_ACCURACY = 0.92;
    private static final double REQUIRED_TASK_ACCURACY = 0.85;
    private static final List<String> LANGUAGES = List.of("en", "zh", "es", "de", "fr", "ja", "pt");

    private final TaskClassifier classifier = new TaskClassifier();

    @Test
    void classifies_the_tuning_set_with_at_least_92_percent_accuracy() {
        List<LabeledSet.Row> rows = LabeledSet.read(LabeledSet.TUNING).orElseThrow();
        assertTrue(rows.size() >= 200, "the tuning set holds " + rows.size() + " prompts");
        long foreign = rows.stream().filter(row -> !"en".equals(row.lang())).count();
        assertTrue(foreign * 5 >= rows.size(), "a fifth of the tuning set is not in English: " + foreign);
        for (String lang : LANGUAGES) {
            assertTrue(rows.stream().anyMatch(row -> lang.equals(row.lang())), "the tuning set has " + lang);
        }
        LabeledSet.Report report = LabeledSet.evaluate(rows, classifier::explain);
        print(report, "Tuning set");
        assertTrue(report.accuracy() >= REQUIRED_ACCURACY, String.format("tuning-set accuracy %.1f%% < %.0f%%",
                100 * report.accuracy(), 100 * REQUIRED_ACCURACY));
    }

    @Test
    void classifies_the_held_out_set_with_at_least_92_percent_and_every_task_85() {
        Optional<List<LabeledSet.Row>> rows = LabeledSet.read(LabeledSet.HELD_OUT);
        String absent = "Held-out set: SKIPPED, src/test/resources" + LabeledSet.HELD_OUT
                + " is not there (it is written separately from the lexicon and never tuned on)";
        if (rows.isEmpty()) {
            System.out.println(absent);
        }
        assumeTrue(rows.isPresent(), absent);
        LabeledSet.Report report = LabeledSet.evaluate(rows.get(), classifier::explain);
        print(report, "Held-out set");
        assertTrue(report.accuracy() >= REQUIRED_ACCURACY, String.format("held-out accuracy %.1f%% < %.0f%%",
                100 * report.accuracy(), 100 * REQUIRED_ACCURACY));
        for (Task task : Task.values()) {
            report.accuracy(task).ifPresent(accuracy -> assertTrue(accuracy >= REQUIRED_TASK_ACCURACY,
                    String.format("held-out accuracy for %s %.1f%% < %.0f%%", task.key(), 100 * accuracy,
                            100 * REQUIRED_TASK_ACCURACY)));
        }
    }

    @Test
    void declared_tools_make_a_request_coding() {
        ObjectNode request = chat("What's the weather in Oslo?");
        request.putArray("tools").addObject().put("type", "function").putObject("function").put("name", "weather");
        assertEquals(TaskEvidence.of(Task.CODING, "tools"), classifier.explain(request, 20));
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
        assertEquals(Task.CODING, classifier.classify(request, 20));
        assertEquals("fenced code", classifier.explain(request, 20).signals().get(0));
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
        assertEquals(TaskEvidence.of(Task.SIMPLE, "image"), classifier.explain(withParts(image()), 800));
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
        assertEquals(TaskEvidence.of(Task.CODING, "response_format"), classifier.explain(request, 40));

        ObjectNode plain = chat("Give me the shipping address.");
        plain.putObject("response_format").put("type", "json_schema").putObject("json_schema")
                .putObject("schema").putObject("properties").putObject("country_code").put("type", "string");
        assertEquals(Task.SIMPLE, classifier.classify(plain, 40));
    }

    @Test
    void chinese_and_japanese_are_read_without_spaces() {
        assertEquals(Task.CODING, classifier.classify(chat("用JavaScript写一个防抖函数"), 20));
        TaskEvidence poem = classifier.explain(chat("写一首五言绝句，描写秋天的月亮。"), 20);
        assertEquals(Task.CREATIVE, poem.task());
        assertTrue(poem.signals().contains("poem (zh)"), poem.signals().toString());
        assertEquals(Task.REASONING, classifier.classify(chat("サイコロを2回振って、出た目の和が7になる確率を求めてください。"), 30));
    }

    @Test
    void accents_and_case_are_optional() {
        assertEquals(Task.CREATIVE, classifier.classify(chat("Écris un poème sur la pluie."), 20));
        assertEquals(Task.CREATIVE, classifier.classify(chat("ECRIS UN POEME SUR LA PLUIE"), 20));
        assertEquals(Task.SIMPLE, classifier.classify(chat("Ubersetze ins Englische: Ich komme morgen."), 20));
    }

    @Test
    void function_in_mathematics_is_not_code() {
        assertEquals(Task.REASONING, classifier.classify(chat("Is every continuous function differentiable?"), 20));
        assertEquals(Task.CODING, classifier.classify(chat("Write a function that removes duplicates from a list."), 20));
    }

    @Test
    void code_without_fences_is_coding() {
        assertEquals(Task.CODING, classifier.classify(chat("what does this do: [x for x in range(100) if x % 3 == 0]"), 20));
        assertEquals(Task.CODING, classifier.classify(chat("std::vector::reserve vs resize, when do I use which?"), 20));
    }

    @Test
    void puzzles_and_causal_questions_are_reasoning_without_numbers() {
        assertEquals(Task.REASONING, classifier.classify(chat("On an island knights always tell the truth and knaves"
                + " always lie. A says: 'B is a knave.' B says: 'We are both knights.' Who is what?"), 40));
        assertEquals(Task.REASONING, classifier.classify(chat(
                "All roses are flowers. Some flowers fade quickly. Can we conclude that some roses fade quickly?"), 30));
        assertEquals(Task.REASONING, classifier.classify(chat(
                "Ice cream sales and drownings rise together every summer. Does ice cream cause drowning?"), 30));
    }

    @Test
    void conversions_and_yes_no_facts_are_simple() {
        TaskEvidence cups = classifier.explain(chat("how many cups are in a liter?"), 10);
        assertEquals(Task.SIMPLE, cups.task());
        assertEquals("conversion", cups.signals().get(0));
        assertEquals(Task.SIMPLE, classifier.classify(chat("is 2 a prime number? yes or no"), 10));
        assertEquals(Task.SIMPLE, classifier.classify(chat("Convert 72 degrees Fahrenheit to Celsius."), 10));
    }

    @Test
    void the_evidence_names_the_signals_that_decided_strongest_first() {
        TaskEvidence evidence = classifier.explain(chat("Prove that the square root of 2 is irrational."), 20);
        assertEquals(Task.REASONING, evidence.task());
        assertEquals("proof", evidence.signals().get(0));
        assertTrue(evidence.signals().size() <= 3, evidence.signals().toString());
        assertEquals(TaskEvidence.of(Task.SIMPLE, "no strong signal"), classifier.explain(chat("Lisbon"), 5));
        assertEquals("proof, maths", new TaskEvidence(Task.REASONING, List.of("proof", "maths")).summary());
    }

    @Test
    void a_request_without_words_is_simple() {
        assertEquals(Task.SIMPLE, classifier.classify(JSON.createObjectNode(), 0));
        assertEquals(Task.SIMPLE, classifier.classify(null, 0));
        assertEquals(Task.SIMPLE, classifier.classify(JSON.createObjectNode().putNull("messages"), 0));
    }

    @Test
    void prints_the_mean_time_per_classification() {
        List<LabeledSet.Row> rows = LabeledSet.read(LabeledSet.TUNING).orElseThrow();
        List<JsonNode> requests = rows.stream().map(row -> (JsonNode) row.request()).toList();
        // Below the threshold, so every request is read, as a running gateway reads it.
        long estimate = 100;
        // Warm up first so the figure is the compiled code's, as in a running gateway, not the interpreter's.
        int sink = classifyAll(requests, estimate, 200_000);
        int runs = 20_000;
        long start = System.nanoTime();
        sink += classifyAll(requests, estimate, runs);
        long mean = (System.nanoTime() - start) / runs;
        int chars = rows.stream().mapToInt(row -> row.prompt().length()).sum() / rows.size();
        System.out.println("Mean classification time: " + mean + " ns over " + runs + " runs of the tuning set's "
                + rows.size() + " requests (mean prompt " + chars + " chars; checksum " + sink + ")");

        StringBuilder pasted = new StringBuilder("Why does this return null sometimes?\n```java\n");
        while (pasted.length() < 20_000) {
            pasted.append("    if (order.customer() != null && order.total() > limit) { return order.customer().id(); }\n");
        }
        JsonNode longRequest = chat(pasted.append("```").toString());
        classifier.classify(longRequest, estimate);
        int longRuns = 2_000;
        start = System.nanoTime();
        for (int i = 0; i < longRuns; i++) {
            sink += classifier.classify(longRequest, estimate).ordinal();
        }
        System.out.println("Mean classification time of a " + pasted.length() + "-char pasted-code prompt: "
                + (System.nanoTime() - start) / longRuns / 1000 + " µs (checksum " + sink + ")");
    }

    @Test
    void prints_what_loading_the_lexicon_costs() throws Exception {
        // A class loader of its own, so the lexicon loads again in a JVM that is already warm, as in a gateway.
        URL classes = TaskLexicon.class.getProtectionDomain().getCodeSource().getLocation();
        long start = System.nanoTime();
        try (URLClassLoader fresh = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class.forName(TaskLexicon.class.getName(), true, fresh);
        }
        System.out.printf("Loading the lexicon (%d terms, 7 languages) in a warm JVM: %.1f ms%n", TaskLexicon.terms(),
                (System.nanoTime() - start) / 1e6);
    }

    private int classifyAll(List<JsonNode> requests, long estimate, int runs) {
        int sink = 0;
        for (int i = 0; i < runs; i++) {
            sink += classifier.classify(requests.get(i % requests.size()), estimate).ordinal();
        }
        return sink;
    }

    private static void print(LabeledSet.Report report, String name) {
        System.out.println(report.text(name));
        report.misses().forEach(miss -> System.out.println("  missed " + miss));
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
}
