package dev.freeway.routing.task;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Decides what kind of work a chat completion request is, from the request alone: no network, no model, a few
 * microseconds. A prompt estimated at the threshold or beyond is {@link Task#MAX_CONTEXT} whatever it says. Otherwise
 * each task collects a weighted score, so a mixed prompt goes to what it mainly asks for ("a poem about recursion" is
 * creative, "a Python function that writes haiku" is coding):
 * <ul>
 *   <li>coding: tool or function definitions, a {@code json_schema} response format about code, fenced code,
 *       code-like lines, stack traces, {@code SELECT ... FROM}, words like refactor, regex, unit test;</li>
 *   <li>reasoning: proofs, equations and maths symbols, probability, puzzles, step-by-step and trade-off analysis;</li>
 *   <li>creative: stories, poems, lyrics, slogans, ad and marketing copy, fiction, screenplays;</li>
 *   <li>simple: everything else, and what no other task claims strongly enough.</li>
 * </ul>
 * The last user message counts most; system (and developer) prompts count {@link #SYSTEM_WEIGHT} as much; earlier turns
 * are ignored, since a conversation's last question is what the next model must answer. Image parts carry no words,
 * so an image with no text is simple. Thread-safe: instances hold only the threshold.
 */
public final class TaskClassifier {

    /** Estimated prompt tokens from which a request needs a long-context model, unless configured otherwise. */
    public static final long DEFAULT_MAX_CONTEXT_TOKENS = 32_000;

    /** How much a system prompt counts next to the user's message. */
    static final double SYSTEM_WEIGHT = 0.4;
    /**
     * The most a system prompt adds to any task: less than {@link #MIN_SCORE}, so it tips a user message that already
     * leans but never decides alone; a coding assistant's users also ask where Lisbon is.
     */
    static final double SYSTEM_CAP = 2.5;
    /** Declared tools mean the client runs an agent or calls functions: a coding model's work. */
    static final double TOOLS_WEIGHT = 8;
    /** How much a response schema's words count: field names like "country_code" must not make a request coding. */
    static final double SCHEMA_WEIGHT = 0.5;
    /** The least score that takes a request away from {@link Task#SIMPLE}. */
    static final double MIN_SCORE = 3;

    private static final Set<String> DESCRIPTIVE_KEYS = Set.of("name", "title", "description");
    private static final Set<String> SCHEMA_KEYWORDS = Set.of("type", "schema", "properties", "items", "required",
            "strict", "additionalProperties", "enum", "const", "format", "pattern", "anyOf", "oneOf", "allOf", "$defs",
            "definitions", "$ref", "minimum", "maximum", "minItems", "maxItems", "minLength", "maxLength", "default");

    private static final Task[] CONTENDERS = {Task.CODING, Task.REASONING, Task.CREATIVE};

    private final long maxContextTokens;

    public TaskClassifier() {
        this(DEFAULT_MAX_CONTEXT_TOKENS);
    }

    /** @param maxContextTokens estimated prompt tokens from which a request is {@link Task#MAX_CONTEXT}; positive */
    public TaskClassifier(long maxContextTokens) {
        if (maxContextTokens <= 0) {
            throw new IllegalArgumentException("maxContextTokens must be positive, was " + maxContextTokens);
        }
        this.maxContextTokens = maxContextTokens;
    }

    /**
     * @param chatRequest           the OpenAI chat completion request body
     * @param estimatedPromptTokens the caller's estimate of the prompt's tokens
     */
    public Task classify(JsonNode chatRequest, long estimatedPromptTokens) {
        return explain(chatRequest, estimatedPromptTokens).task();
    }

    /** Like {@link #classify} and says which signal decided. */
    public Classification explain(JsonNode chatRequest, long estimatedPromptTokens) {
        if (estimatedPromptTokens >= maxContextTokens) {
            return new Classification(Task.MAX_CONTEXT,
                    "estimated " + estimatedPromptTokens + " prompt tokens >= " + maxContextTokens);
        }
        if (chatRequest == null || !chatRequest.isObject()) {
            return new Classification(Task.SIMPLE, "no request");
        }
        TaskEvidence evidence = new TaskEvidence();
        if (declares(chatRequest, "tools") || declares(chatRequest, "functions")) {
            evidence.add(Task.CODING, TOOLS_WEIGHT, "tools");
        }
        schema(chatRequest.path("response_format"), evidence);
        boolean image = messages(chatRequest.path("messages"), evidence);
        return decide(evidence, image);
    }

    private static Classification decide(TaskEvidence evidence, boolean image) {
        Task best = null;
        for (Task task : CONTENDERS) {
            double score = evidence.score(task);
            if (score >= MIN_SCORE && score > evidence.score(Task.SIMPLE)
                    && (best == null || score > evidence.score(best))) {
                best = task;
            }
        }
        if (best != null) {
            return new Classification(best, evidence.signal(best));
        }
        String signal = evidence.signal(Task.SIMPLE);
        if (signal == null) {
            signal = image ? "image" : "no strong signal";
        }
        return new Classification(Task.SIMPLE, signal);
    }

    /** Scans system prompts and the last user message; says whether that message holds an image. */
    private static boolean messages(JsonNode messages, TaskEvidence evidence) {
        if (!messages.isArray() || messages.isEmpty()) {
            return false;
        }
        int last = messages.size() - 1;
        for (int i = last; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asText())) {
                last = i;
                break;
            }
        }
        TaskEvidence system = new TaskEvidence();
        for (int i = 0; i < messages.size(); i++) {
            String role = messages.get(i).path("role").asText();
            if (i != last && ("system".equals(role) || "developer".equals(role))) {
                PromptScanner.scan(text(messages.get(i).path("content")), SYSTEM_WEIGHT, false, true, system);
            }
        }
        for (Task task : Task.values()) {
            if (system.score(task) > 0) {
                evidence.add(task, Math.min(system.score(task), SYSTEM_CAP), "system prompt: " + system.signal(task));
            }
        }
        JsonNode content = messages.get(last).path("content");
        PromptScanner.scan(text(content), 1, true, true, evidence);
        return hasImage(content);
    }

    /** A string content, or its text parts joined by new lines. */
    private static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            JsonNode partText = part.path("text");
            if (partText.isTextual()) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(partText.asText());
            }
        }
        return text.toString();
    }

    private static boolean hasImage(JsonNode content) {
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            if (type.startsWith("image") || type.equals("input_image")) {
                return true;
            }
        }
        return false;
    }

    private static boolean declares(JsonNode request, String field) {
        JsonNode declared = request.get(field);
        return declared != null && declared.isArray() && !declared.isEmpty();
    }

    /**
     * A {@code json_schema} response format whose names and descriptions talk about code (a {@code sql} field, a
     * "regex" description) adds their coding weight; the schema's other words say nothing about the task.
     */
    private static void schema(JsonNode responseFormat, TaskEvidence evidence) {
        if (!"json_schema".equals(responseFormat.path("type").asText())) {
            return;
        }
        StringBuilder words = new StringBuilder();
        collectWords(responseFormat.path("json_schema"), words, 0);
        TaskEvidence schema = new TaskEvidence();
        PromptScanner.scan(words.toString(), SCHEMA_WEIGHT, false, false, schema);
        if (schema.score(Task.CODING) > 0) {
            evidence.add(Task.CODING, schema.score(Task.CODING), "response_format");
        }
    }

    /** Field names, titles and descriptions; JSON Schema's own words (type, string, properties) are not the topic. */
    private static void collectWords(JsonNode node, StringBuilder words, int depth) {
        if (depth > 16 || words.length() > 4_000) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                JsonNode value = field.getValue();
                if (DESCRIPTIVE_KEYS.contains(key)) {
                    words.append(value.asText().replace('_', ' ')).append(' ');
                } else if (!SCHEMA_KEYWORDS.contains(key)) {
                    words.append(key.replace('_', ' ')).append(' ');
                }
                collectWords(value, words, depth + 1);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                collectWords(item, words, depth + 1);
            }
        }
    }

    /**
     * A task and the signal that decided it, for logs and debugging.
     *
     * @param task   the task
     * @param signal what decided it: a word ("poem"), a shape ("fenced code", "stack trace"), "tools", the token
     *               estimate, or "no strong signal"
     */
    public record Classification(Task task, String signal) {
    }
}
