package dev.freeway.routing.task;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The words and short phrases that hint at a task, with how strongly. Weights are relative: a word that almost always
 * means the task (haiku, traceback, theorem) weighs 4–5, a word that often does (story, bug, solve) 2–3, a word that
 * only leans (test, why, tone) 1. A word may hint at several tasks (riddle, script). Lookups are by lower-case token;
 * a plural falls back to its singular.
 */
final class TaskLexicon {

    /** One task a word or phrase hints at. */
    record Cue(Task task, double weight) {
    }

    /** A phrase of two to four words, found by its last word. */
    record Phrase(String[] words, Cue cue, String label) {
    }

    private static final Cue[] NONE = new Cue[0];
    private static final Map<String, Cue[]> WORDS = new HashMap<>();
    private static final Map<String, Phrase[]> PHRASES = new HashMap<>();

    static {
        coding(4, "refactor", "refactoring", "debug", "debugging", "debugger", "compile", "compiler", "compiling",
                "regex", "regexp", "sql", "traceback", "stacktrace", "segfault", "nullpointerexception", "dockerfile",
                "kubectl", "kubernetes", "pytest", "junit", "unittest", "typescript", "javascript", "python",
                "golang", "kotlin", "programming", "codebase", "polymorphism", "webpack");
        coding(3, "code", "coding", "java", "bash", "powershell", "html", "css", "div", "json", "yaml", "xml", "api",
                "endpoint", "git", "github", "gitlab", "docker", "npm", "pip", "pandas", "numpy", "django", "flask",
                "react", "vue", "angular", "nodejs", "postgres", "postgresql", "mysql", "sqlite", "mongodb", "redis",
                "bug", "exception", "syntax", "async", "await", "callback", "mutex", "rebase", "backend", "frontend",
                "microservice", "php", "haskell", "cpp", "jvm", "gradle", "maven", "linter", "pointer", "lru",
                "webhook", "jwt", "cron", "crontab", "localhost", "vscode", "deserialize", "serialize", "stdout",
                "stderr", "boolean", "struct", "hashmap", "repo", "dataframe", "sdk");
        coding(2, "function", "script", "program", "implement", "implementation", "algorithm", "variable", "array",
                "int", "null", "lambda", "repository", "commit", "deploy", "deployment", "ci", "cli", "terminal",
                "shell", "database", "query", "schema", "rust", "perl", "scala", "ruby", "lint", "recursion",
                "recursive", "parser", "parsing", "ide", "vim", "dependency", "dependencies", "runtime", "inheritance",
                "cache", "oauth", "compute", "typed", "http", "https", "port");
        coding(1, "string", "integer", "thread", "method", "class", "interface", "merge", "pipeline", "workflow",
                "command", "linux", "server", "url", "spring", "loop", "iterate", "parse", "test", "testing",
                "developer", "dev", "container", "pod", "library", "framework", "package", "install", "error", "crash",
                "fix", "complexity", "hash", "swift", "optimize", "build", "component", "app", "website", "log");
        codingPhrase(4, "unit test", "unit tests", "stack trace", "code review", "pull request", "merge conflict");
        codingPhrase(3, "linked list", "binary tree", "rest api", "command line", "data structure", "memory leak",
                "race condition", "time complexity", "status code", "status codes", "big o", "type error",
                "null pointer");

        reasoning(4, "prove", "proves", "proving", "proof", "theorem", "lemma", "derive", "derivation", "probability",
                "probabilities", "eigenvalue", "eigenvector", "integral", "syllogism", "fallacy", "combinatorics",
                "quadratic", "polynomial");
        reasoning(3, "paradox", "undecidable", "induction", "irrational", "divisible", "factorial", "permutation",
                "equation", "algebra", "geometry", "calculus", "trigonometry", "bayes", "bayesian", "puzzle",
                "deduce", "premise", "tradeoff", "justify", "rigorous", "rigorously", "triangle",
                "derivative", "dice", "conjecture", "axiom", "logically");
        reasoning(2, "solve", "calculate", "math", "maths", "mathematics", "statistics", "statistical", "expectation",
                "variance", "logic", "logical", "riddle", "infer", "reasoning", "argument", "hypothesis", "analyze",
                "analyse", "analysis", "compare", "comparison", "evaluate", "weigh", "weighing", "assess",
                "implications", "optimal", "maximize", "minimize", "estimate", "formula", "odds", "coin", "matrix",
                "angle", "fraction", "reciprocal", "geometric", "converge", "infinity", "causal", "causation",
                "correlation", "contradiction", "prime", "combination", "differentiate", "integrate", "strategy",
                "pros", "cons", "chance", "likelihood");
        reasoning(1, "why", "reason", "conclusion", "inference", "expected", "versus", "vs", "risk", "recommend",
                "decide", "decision", "carefully", "likely", "formally", "percent", "ratio", "average", "cards",
                "vector", "circle", "area", "volume", "sum", "sequence", "series", "arithmetic", "limit", "infinite",
                "cause", "caused", "economic", "impact", "effects", "consequences", "minimum", "maximum", "consider",
                "difference");
        reasoningPhrase(4, "step by step", "show that", "prove that");
        reasoningPhrase(3, "how many", "pros and cons", "trade offs", "trade off", "solve for", "expected value",
                "show your work", "think through", "think it through", "walk through");
        reasoningPhrase(2, "should i", "should we", "is it better", "root cause");

        creative(5, "poem", "poetry", "haiku", "sonnet", "limerick", "lyrics", "screenplay", "slogan", "tagline",
                "copywriting", "jingle", "lullaby", "ode", "couplet", "stanza", "worldbuilding");
        creative(4, "story", "fiction", "fairytale", "fable", "verse", "rhyme", "rhyming", "song", "ballad", "rap",
                "monologue", "caption", "advert", "advertisement", "copywriter");
        creative(3, "novel", "villain", "protagonist", "scene", "dialogue", "headline", "catchy", "whimsical",
                "creative", "imaginative", "fantasy", "myth", "tale", "bedtime", "eulogy", "prose", "joke", "pun",
                "horror", "noir", "romance", "backstory", "roleplay", "scifi", "screenwriter", "storyline");
        creative(2, "character", "plot", "ad", "commercial", "marketing", "playful", "vivid", "cheeky", "witty",
                "funny", "humorous", "invent", "imagine", "imaginary", "legend", "toast", "narrative", "narrator",
                "blog", "riddle", "brainstorm", "mystery", "romantic", "metaphor", "hero", "speech", "persona");
        creative(1, "script", "brand", "farewell", "letter", "essay", "tone", "voice", "style", "names",
                "continue", "pitch", "describe", "write", "compose");
        creativePhrase(5, "short story", "fairy tale", "once upon a time", "ad copy", "marketing copy", "product copy",
                "sales copy");
        creativePhrase(4, "love letter", "in the style of", "product description");
        creativePhrase(3, "blog post", "point of view", "landing page", "make up", "sci fi");

        multilingual();
        simple(3, "translate", "translation", "summarize", "summarise", "summary", "tldr", "tl", "define",
                "definition", "synonym", "antonym", "grammar", "proofread", "paraphrase");
        simple(2, "meaning", "spell", "spelling", "typo", "rephrase", "extract", "sentiment", "weather", "recipe",
                "hello", "thanks");
        simple(1, "rewrite", "classify", "capital", "substitute", "hi", "hey", "thank", "ok", "okay", "who", "where",
                "when", "email", "polite", "formal", "professional", "list", "mean");
        simplePhrase(1, "what is", "who is", "tell me about", "what's the");
    }

    private TaskLexicon() {
    }

    /** The commonest task words in German, French and Spanish, so a short request in them is not read as simple. */
    private static void multilingual() {
        coding(4, "programmieren", "programmation", "programación");
        coding(3, "código", "quellcode");
        coding(2, "funktion", "fonction", "función", "skript");
        reasoning(4, "beweis", "beweisen", "preuve", "prouver", "démontrer", "demostrar", "demostración",
                "wahrscheinlichkeit", "probabilité", "probabilidad");
        reasoning(3, "gleichung", "équation", "ecuación", "démonstration");
        creative(5, "gedicht", "gedichte", "poème", "poésie", "poema", "poesía", "eslogan");
        creative(4, "märchen", "conte", "cuento", "chanson", "canción");
        simple(3, "übersetze", "übersetzen", "traduire", "traduis", "traducir", "traduce", "zusammenfassung",
                "zusammenfassen", "resumen", "resumir");
    }

    /** The cues of one lower-case token; a plural falls back to its singular. Never null. */
    static Cue[] cues(String token) {
        Cue[] cues = WORDS.get(token);
        if (cues == null && token.length() > 3 && token.charAt(token.length() - 1) == 's') {
            cues = WORDS.get(token.substring(0, token.length() - 1));
        }
        return cues == null ? NONE : cues;
    }

    /** The phrases that end with this lower-case token, or null. */
    static Phrase[] phrasesEndingWith(String token) {
        return PHRASES.get(token);
    }

    private static void coding(double weight, String... words) {
        words(Task.CODING, weight, words);
    }

    private static void reasoning(double weight, String... words) {
        words(Task.REASONING, weight, words);
    }

    private static void creative(double weight, String... words) {
        words(Task.CREATIVE, weight, words);
    }

    private static void simple(double weight, String... words) {
        words(Task.SIMPLE, weight, words);
    }

    private static void codingPhrase(double weight, String... phrases) {
        phrases(Task.CODING, weight, phrases);
    }

    private static void reasoningPhrase(double weight, String... phrases) {
        phrases(Task.REASONING, weight, phrases);
    }

    private static void creativePhrase(double weight, String... phrases) {
        phrases(Task.CREATIVE, weight, phrases);
    }

    private static void simplePhrase(double weight, String... phrases) {
        phrases(Task.SIMPLE, weight, phrases);
    }

    private static void words(Task task, double weight, String... words) {
        for (String word : words) {
            Cue[] known = WORDS.getOrDefault(word, NONE);
            for (Cue cue : known) {
                if (cue.task() == task) {
                    throw new IllegalStateException("'" + word + "' is listed twice for " + task);
                }
            }
            Cue[] more = Arrays.copyOf(known, known.length + 1);
            more[known.length] = new Cue(task, weight);
            WORDS.put(word, more);
        }
    }

    private static void phrases(Task task, double weight, String... phrases) {
        for (String phrase : phrases) {
            String[] words = phrase.split(" ");
            if (words.length < 2 || words.length > 4) {
                throw new IllegalStateException("a phrase has two to four words: '" + phrase + "'");
            }
            Phrase[] known = PHRASES.getOrDefault(words[words.length - 1], new Phrase[0]);
            Phrase[] more = Arrays.copyOf(known, known.length + 1);
            more[known.length] = new Phrase(words, new Cue(task, weight), phrase);
            PHRASES.put(words[words.length - 1], more);
        }
    }
}
