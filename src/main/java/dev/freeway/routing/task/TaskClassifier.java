package dev.freeway.routing.task;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides what kind of work a chat completion request is, from the request alone. What needs no reading comes first: a
 * prompt estimated at the threshold or beyond is {@link Task#MAX_CONTEXT} whatever it says, a request that declares
 * tools (or legacy functions) is {@link Task#CODING}, one without text is {@link Task#SIMPLE}. The words go to a
 * {@link TaskModel}: the {@link HeuristicClassifier} (a few microseconds, no network, no model), or the learned model
 * {@link ClassifierSelection} installed at start-up when {@code freeway.routing.classifier=embedding}. Thread-safe.
 */
public final class TaskClassifier {

    /** Estimated prompt tokens from which a request needs a long-context model, unless configured otherwise. */
    public static final long DEFAULT_MAX_CONTEXT_TOKENS = 32_000;

    /** The learned model chosen at start-up, or null for the heuristic; one choice per process. */
    private static volatile TaskModel installed;

    private final long maxContextTokens;
    private final TaskModel model;

    public TaskClassifier() {
        this(DEFAULT_MAX_CONTEXT_TOKENS);
    }

    /**
     * Classifies with the model chosen at start-up: the heuristic unless a learned model was installed.
     *
     * @param maxContextTokens estimated prompt tokens from which a request is {@link Task#MAX_CONTEXT}; positive
     */
    public TaskClassifier(long maxContextTokens) {
        this(maxContextTokens, null);
    }

    /** @param model the model for the words, or null for the one chosen at start-up */
    public TaskClassifier(long maxContextTokens, TaskModel model) {
        if (maxContextTokens <= 0) {
            throw new IllegalArgumentException("maxContextTokens must be positive, was " + maxContextTokens);
        }
        this.maxContextTokens = maxContextTokens;
        this.model = model;
    }

    /**
     * @param chatRequest           the OpenAI chat completion request body
     * @param estimatedPromptTokens the caller's estimate of the prompt's tokens
     */
    public Task classify(JsonNode chatRequest, long estimatedPromptTokens) {
        return explain(chatRequest, estimatedPromptTokens).task();
    }

    /** Like {@link #classify}, with the signals that decided. */
    public TaskEvidence explain(JsonNode chatRequest, long estimatedPromptTokens) {
        if (estimatedPromptTokens >= maxContextTokens) {
            return TaskEvidence.of(Task.MAX_CONTEXT,
                    "estimated " + estimatedPromptTokens + " prompt tokens >= " + maxContextTokens);
        }
        if (chatRequest == null || !chatRequest.isObject()) {
            return TaskEvidence.of(Task.SIMPLE, "no request");
        }
        if (declares(chatRequest, "tools") || declares(chatRequest, "functions")) {
            return TaskEvidence.of(Task.CODING, "tools");
        }
        ChatText chat = ChatText.of(chatRequest);
        if (chat.user().isBlank() && chat.system().isBlank()) {
            return TaskEvidence.of(Task.SIMPLE, chat.image() ? "image" : "no text");
        }
        TaskModel chosen = model != null ? model : installed;
        return (chosen != null ? chosen : HeuristicClassifier.INSTANCE).classify(chat);
    }

    /** Which model classifiers built without one use; null restores the heuristic. */
    static void install(TaskModel learned) {
        installed = learned;
    }

    private static boolean declares(JsonNode request, String field) {
        JsonNode declared = request.get(field);
        return declared != null && declared.isArray() && !declared.isEmpty();
    }
}
