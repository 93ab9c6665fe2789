package dev.freeway.routing.task;

import java.util.List;

/**
 * The default {@link TaskModel}: each task collects a weighted score from the shape of the text (fences, code lines,
 * stack traces, maths notation) and from {@link TaskLexicon} cues in seven languages, so a mixed prompt goes to what it
 * mainly asks for ("a poem about recursion" is creative, "a Python function that writes haiku" is coding):
 * <ul>
 *   <li>coding: fenced or unfenced code, code identifiers and calls, stack traces, SQL, tool and language names,
 *       words like refactor, regex, unit test; "function" or "variable" alone only confirm;</li>
 *   <li>reasoning: proofs, conceptual maths, maths notation, probability, logic puzzles with or without numbers,
 *       causal questions, trade-offs, planning under constraints, estimates, word problems;</li>
 *   <li>creative: poems (classical Chinese and Japanese forms too), stories, songs, ad copy, speeches and pep
 *       talks, jokes, role-play;</li>
 *   <li>simple: everything else, and what no other task claims strongly enough; unit conversions, yes/no questions,
 *       definitions, translations and summaries pull towards it.</li>
 * </ul>
 * The user's message counts fully; system prompts count {@link #SYSTEM_WEIGHT} as much, capped at
 * {@link #SYSTEM_CAP}; a response schema counts only its words about code.
 */
final class HeuristicClassifier implements TaskModel {

    static final HeuristicClassifier INSTANCE = new HeuristicClassifier();

    /** How much a system prompt counts next to the user's message. */
    static final double SYSTEM_WEIGHT = 0.4;
    /**
     * The most a system prompt adds to any task: less than {@link #MIN_SCORE}, so it tips a user message that already
     * leans but never decides alone; a coding assistant's users also ask where Lisbon is.
     */
    static final double SYSTEM_CAP = 2.5;
    /** How much a response schema's words count: field names like "country_code" must not make a request coding. */
    static final double SCHEMA_WEIGHT = 0.5;
    /** The least score that takes a request away from {@link Task#SIMPLE}. */
    static final double MIN_SCORE = 3;

    private static final Task[] CONTENDERS = {Task.CODING, Task.REASONING, Task.CREATIVE};
    private static final Task[] TASKS = Task.values();

    private HeuristicClassifier() {
    }

    @Override
    public TaskEvidence classify(ChatText chat) {
        TaskScores scores = new TaskScores();
        if (!chat.schema().isEmpty()) {
            TaskScores schema = new TaskScores();
            PromptScanner.scan(chat.schema(), SCHEMA_WEIGHT, false, false, schema);
            if (schema.score(Task.CODING) > 0) {
                scores.add(Task.CODING, schema.score(Task.CODING), "response_format");
            }
        }
        if (!chat.system().isEmpty()) {
            TaskScores system = new TaskScores();
            PromptScanner.scan(chat.system(), SYSTEM_WEIGHT, false, true, system);
            for (Task task : TASKS) {
                double score = system.score(task);
                if (score > 0) {
                    scores.add(task, Math.min(score, SYSTEM_CAP), "system prompt: " + system.signals(task).get(0));
                }
            }
        }
        PromptScanner.scan(chat.user(), 1, true, true, scores);
        return decide(scores, chat.image());
    }

    private static TaskEvidence decide(TaskScores scores, boolean image) {
        Task best = null;
        for (Task task : CONTENDERS) {
            double score = scores.score(task);
            if (score >= MIN_SCORE && score > scores.score(Task.SIMPLE)
                    && (best == null || score > scores.score(best))) {
                best = task;
            }
        }
        if (best != null) {
            return new TaskEvidence(best, scores.signals(best));
        }
        List<String> signals = scores.signals(Task.SIMPLE);
        if (!signals.isEmpty() && scores.score(Task.SIMPLE) > 0) {
            return new TaskEvidence(Task.SIMPLE, signals);
        }
        return TaskEvidence.of(Task.SIMPLE, image ? "image" : "no strong signal");
    }
}
