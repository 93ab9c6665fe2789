package dev.freeway.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.config.Pool;
import dev.freeway.quota.TokenEstimator;
import dev.freeway.routing.task.Task;
import dev.freeway.routing.task.TaskEvidence;
import dev.freeway.routing.task.TaskClassifier;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** Reads what routing needs from a validated request: its size, its task and the capabilities it needs. */
@ApplicationScoped
public class RequestReader {

    private final TokenEstimator estimator;
    private final TaskClassifier classifier;
    private final Pool pool;

    public RequestReader(TokenEstimator estimator, Pool pool) {
        this.estimator = estimator;
        this.classifier = new TaskClassifier(pool.routing().maxContextThreshold());
        this.pool = pool;
    }

    /**
     * @param taskHeader the {@code x-freeway-task} header, or null; an alias in {@code model} wins over it, and it
     *                   wins over the classifier
     */
    public RouteRequest read(ObjectNode body, String taskHeader) {
        long prompt = estimator.promptTokens(body);
        long output = estimator.outputTokens(body);
        String model = body.get("model").asText();
        ModelAddress address = ModelAddress.parse(model, pool);
        TaskEvidence evidence = address.task().map(task -> TaskEvidence.of(task, "model " + model))
                .or(() -> headerTask(taskHeader).map(task -> TaskEvidence.of(task, "x-freeway-task header")))
                .orElseGet(() -> classifier.explain(body, prompt));
        return new RouteRequest(body, model, evidence.task(), prompt, output, RouteRequest.needsOf(body))
                .decidedBy(evidence);
    }

    private static Optional<Task> headerTask(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Task.parse(header).orElseThrow(() -> new RouteFailure(RouteFailure.Kind.CLIENT_ERROR,
                "Unknown task in x-freeway-task: `" + header + "`. Valid tasks: "
                        + java.util.Arrays.stream(Task.values()).map(Task::key).toList() + ".",
                "invalid_request_error", 400, null, List.of())));
    }
}
