package dev.freeway.routing.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.routing.task.embedding.EmbeddingTaskModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The optional embedding classifier, measured: accuracy on the tuning set (leave-one-out, since its head holds the
 * tuning prompts), on the held-out set when it is there, the cost per request, and what loading it adds to start-up
 * and memory. Runs only in the {@code -Pembedding} build:
 * {@code ./mvnw -Pembedding test -Dtest=EmbeddingClassifierTest}. The figures go to {@code bench/CLASSIFIER.md}.
 */
class EmbeddingClassifierTest {

    private static EmbeddingTaskModel model;

    @BeforeAll
    static void load() throws IOException {
        System.gc();
        long heapBefore = heapUsed();
        long rssBefore = residentKb();
        long start = System.nanoTime();
        model = new EmbeddingTaskModel();
        long loadMs = (System.nanoTime() - start) / 1_000_000;
        System.gc();
        System.out.printf("Embedding classifier %s: loaded in %d ms, heap +%.1f MB, resident memory +%.1f MB%n",
                model, loadMs, (heapUsed() - heapBefore) / 1e6, (residentKb() - rssBefore) / 1e3);
    }

    @Test
    void reports_leave_one_out_accuracy_on_the_tuning_set() {
        List<LabeledSet.Row> rows = LabeledSet.read(LabeledSet.TUNING).orElseThrow();
        TaskClassifier classifier = new TaskClassifier(TaskClassifier.DEFAULT_MAX_CONTEXT_TOKENS,
                model::classifyLeavingOut);
        LabeledSet.Report report = LabeledSet.evaluate(rows, classifier::explain);
        System.out.println(report.text("Embedding classifier, tuning set (leave-one-out)"));
        report.misses().forEach(miss -> System.out.println("  missed " + miss));
        assertTrue(report.accuracy() > 0.5, "the head learned something: " + report.accuracy());
    }

    @Test
    void reports_accuracy_on_the_held_out_set() {
        Optional<List<LabeledSet.Row>> rows = LabeledSet.read(LabeledSet.HELD_OUT);
        assumeTrue(rows.isPresent(), "held-out set skipped: src/test/resources" + LabeledSet.HELD_OUT + " is not there");
        TaskClassifier classifier = new TaskClassifier(TaskClassifier.DEFAULT_MAX_CONTEXT_TOKENS, model);
        LabeledSet.Report report = LabeledSet.evaluate(rows.get(), classifier::explain);
        System.out.println(report.text("Embedding classifier, held-out set"));
        report.misses().forEach(miss -> System.out.println("  missed " + miss));
    }

    @Test
    void reports_the_cost_per_request() {
        List<JsonNode> requests = LabeledSet.read(LabeledSet.TUNING).orElseThrow().stream()
                .map(row -> (JsonNode) row.request()).toList();
        TaskClassifier classifier = new TaskClassifier(TaskClassifier.DEFAULT_MAX_CONTEXT_TOKENS, model);
        int sink = 0;
        for (JsonNode request : requests) {
            sink += classifier.classify(request, 100).ordinal();
        }
        int runs = 2 * requests.size();
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            sink += classifier.classify(requests.get(i % requests.size()), 100).ordinal();
        }
        long mean = (System.nanoTime() - start) / runs;
        System.out.printf("Embedding classifier: %.2f ms per request over %d requests (checksum %d)%n", mean / 1e6,
                runs, sink);
    }

    private static long heapUsed() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** VmRSS from /proc, or 0 where there is none: the model's native memory lives outside the heap. */
    private static long residentKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }
}
