package dev.freeway.routing.task.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freeway.routing.task.Task;
import dev.langchain4j.model.embedding.EmbeddingModel;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains the {@link EmbeddingHead} at build time: embeds every tuning-set prompt whose task its words decide and
 * writes the vectors with their tasks. Rows decided before the model reads anything are left out: max_context (the
 * token estimate decides), declared tools (coding whatever they say) and empty image prompts.
 * Run by the {@code embedding} profile: {@code HeadTrainer <tuning set .jsonl> <head .bin>}.
 */
public final class HeadTrainer {

    private HeadTrainer() {
    }

    public static void main(String[] args) throws IOException {
        Path tuning = Path.of(args[0]);
        Path target = Path.of(args[1]);
        ObjectMapper json = new ObjectMapper();
        List<Task> tasks = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        for (String line : Files.readAllLines(tuning)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode row = json.readTree(line);
            Task task = Task.parse(row.path("task").asText()).orElseThrow();
            String prompt = row.path("prompt").asText();
            if (task != Task.MAX_CONTEXT && !row.path("tools").asBoolean() && !row.has("estimated_tokens")
                    && !prompt.isBlank()) {
                tasks.add(task);
                prompts.add(prompt);
            }
        }
        long start = System.nanoTime();
        EmbeddingModel model = EmbeddingTaskModel.loadModel();
        float[][] vectors = new float[prompts.size()][];
        for (int i = 0; i < prompts.size(); i++) {
            vectors[i] = EmbeddingTaskModel.embed(model, prompts.get(i));
        }
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
            new EmbeddingHead(tasks.toArray(Task[]::new), vectors).write(new java.io.BufferedOutputStream(out));
        }
        System.out.printf("Embedding head: %d tuning prompts embedded in %.1f s -> %s%n", prompts.size(),
                (System.nanoTime() - start) / 1e9, target);
    }
}
