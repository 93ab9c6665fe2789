package dev.freeway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Freeway's configuration tree, read from the YAML file named by {@code FREEWAY_CONFIG}, from
 * {@code application.properties} and from environment variables. This shape is a contract: the README, users and
 * tests rely on it.
 */
@ConfigMapping(prefix = "freeway")
public interface FreewayConfig {

    /** Provider accounts by provider name: a catalog id (groq, google-gemini, ...) or any name with a {@code type}. */
    Map<String, ProviderConfig> providers();

    /** The OpenAI-compatible surface. */
    Api api();

    /** How requests find a model and an account. */
    Routing routing();

    /** Task-aware routing: candidate chains per task, fallback, preservation and schedules. */
    interface Routing {

        /**
         * Candidates per task (simple, coding, reasoning, creative, max_context), best first: {@code provider/model},
         * or a provider's name for its models that declare the task, best first. Entries whose provider has no
         * account are skipped; start-up reports every entry that names nothing configured.
         */
        Map<String, List<String>> tasks();

        /** Providers to try, in order, after a task's own candidates: each adds its models that fit the request. */
        Optional<List<String>> fallbackChain();

        /** Estimated prompt tokens from which a request counts as max_context. */
        @WithDefault("32000")
        long maxContextThreshold();

        /** Models kept for the requests that need them. */
        Optional<List<Preserve>> preserve();

        /** Time-of-day preferences. */
        Optional<List<Schedule>> schedules();

        /** The weighted strategy's score weights. */
        Weights weights();

        /** How long a conversation keeps its account under the sticky strategy. */
        @WithDefault("1h")
        Duration stickyFor();

        /**
         * Names clients send (claude-sonnet-4-5, gpt-4o, ...) mapped to what Freeway routes: {@code auto},
         * {@code auto:<task>} or {@code provider/model}. Listed by GET /v1/models; an alias never names another alias.
         */
        Map<String, String> aliases();

        /**
         * What decides the task of an {@code auto} request: {@code heuristic} (built in, microseconds) or
         * {@code embedding} (a sentence-embedding model, only in a build made with {@code -Pembedding}).
         */
        @WithDefault("heuristic")
        TaskClassifierKind classifier();
    }

    /** Keeps a model for requests of some tasks, or for prompts of at least some size. */
    interface Preserve {

        /** provider/model. */
        String model();

        /** Tasks the model is kept for, e.g. [max_context]. */
        @WithName("for")
        Optional<List<String>> forTasks();

        /** Smallest estimated prompt the model is used for. */
        Optional<Long> minPromptTokens();

        /**
         * What every other request gets: {@code last} (the model is tried after every other candidate, so the pool
         * never refuses work it could do) or {@code never}.
         */
        @WithDefault("last")
        String others();
    }

    /** Between two times of day in a zone, prefer some providers and avoid others. */
    interface Schedule {

        /** Start, HH:mm. */
        String from();

        /** End, HH:mm (may be before {@code from}: the window then spans midnight). */
        String to();

        /** Time zone of from and to. */
        @WithDefault("UTC")
        String zone();

        /** Providers moved to the front of a plan during the window. */
        Optional<List<String>> prefer();

        /** Providers left out of a plan during the window (kept only as a last resort). */
        Optional<List<String>> avoid();
    }

    /** Weights of the weighted strategy's score. */
    interface Weights {

        /** Share of quota left. */
        @WithDefault("40")
        double quota();

        /** How well the model fits the task. */
        @WithDefault("30")
        double fit();

        /** How fast the account has answered lately. */
        @WithDefault("20")
        double performance();

        /** Penalty for being close to a limit. */
        @WithDefault("-10")
        double proximity();

        /** An average latency under this earns the whole performance weight; a slower account earns half. */
        @WithDefault("1s")
        Duration fastLatency();

        /**
         * Accounts scoring within this many points of the best share the requests at random, the closer the likelier,
         * so one account does not take every request until its averages move; 0 always picks the best.
         */
        @WithDefault("5")
        double spread();
    }

    /** One provider: which catalog entry it is, where it lives and which accounts Freeway may use. */
    interface ProviderConfig {

        /** The catalog entry this provider is; defaults to the provider's name. {@code openai-compatible} for any URL. */
        Optional<String> type();

        /** Overrides the catalog's base URL (a proxy, a regional or workspace domain, a local server). */
        Optional<String> baseUrl();

        /** How requests are spread over the accounts: round_robin, least_used, weighted, sticky ({@link LoadBalancing}). */
        @WithDefault("round_robin")
        String loadBalancing();

        /** The accounts; each is one quota scope (an organisation, a project), with one or more keys. */
        Optional<List<AccountConfig>> accounts();

        /** Models to add to, or correct in, the catalog's list. */
        Map<String, ModelConfig> models();

        /** Overrides the catalog's reset time zone for calendar windows. */
        Optional<String> resetZone();

        /** Overrides the catalog's error dialect (openai, groq, gemini, ...). */
        Optional<String> dialect();

        /** Longest wait for a whole non-streamed answer, body included; also bounds a stream's response headers. */
        @WithDefault("60s")
        Duration timeout();

        /**
         * Longest wait for a stream's first event (headers and first data event). Nothing has reached the client by
         * then, so on expiry the next candidate is tried.
         */
        @WithDefault("30s")
        Duration firstEventTimeout();

        /**
         * Longest silence between two events of a stream once it has started; on expiry the client gets an error
         * event, the lease ends and what was relayed is counted.
         */
        @WithDefault("30s")
        Duration idleTimeout();

        /**
         * How long an idle connection to the provider is kept for the next call; under the provider's own idle limit.
         * Default 30 s, and 4 s for an {@code openai-compatible} server (uvicorn and Node close idle ones after 5 s).
         */
        Optional<Duration> keepAlive();

        /**
         * How long a new connection to the provider may take, its TLS handshake included; a call not connected by
         * then was never sent and moves on to the next account or candidate. Default 10 s.
         */
        Optional<Duration> connectTimeout();

        /** Overrides the catalog's word on whether the provider counts failed calls against its limits. */
        Optional<Boolean> countsFailedCalls();

        /**
         * Overrides the catalog's word on whether the provider honours {@code stream_options.include_usage}: false
         * for one that refuses the field or never sends the usage chunk (Freeway then counts a stream itself).
         */
        Optional<Boolean> streamUsage();

        /** Retry and circuit breaker around this provider's calls. */
        GuardConfig guard();
    }

    /** One provider's fault tolerance; built once at start-up into a SmallRye Fault Tolerance Guard. */
    interface GuardConfig {

        /** Retries on the same account, for transient failures only (5xx, reset connections, short rate limits). */
        @WithDefault("1")
        int retries();

        /** First retry delay; later ones grow exponentially. */
        @WithDefault("200ms")
        Duration retryDelay();

        /** Longest retry delay; a provider asking for a longer wait is not retried but routed around. */
        @WithDefault("2s")
        Duration retryMaxDelay();

        /** Calls the circuit breaker looks at before it may open. */
        @WithDefault("10")
        int breakerVolume();

        /** Share of failing calls among them that opens the circuit. */
        @WithDefault("0.5")
        double breakerFailureRatio();

        /** How long an open circuit stays open before a trial call. */
        @WithDefault("30s")
        Duration breakerDelay();
    }

    /** One account at a provider. */
    interface AccountConfig {

        /** A name unique within the provider; shown in status and response headers. Never a key. */
        String id();

        /** The account's key. {@code none} for servers without auth. */
        Optional<String> apiKey();

        /** A file holding the key (Docker/Kubernetes secrets). */
        Optional<String> apiKeyFile();

        /** Several keys of this one account; they share its quotas. */
        Optional<List<String>> apiKeys();

        /** Limit rules that override (same metric, window and scope) or add to the catalog's defaults. */
        Optional<List<LimitConfig>> limits();
    }

    /** A limit rule as written in configuration. */
    interface LimitConfig {

        /** requests, tokens, input_tokens, output_tokens, credits, concurrent_requests. */
        String metric();

        /** minute, hour, day, month, rolling, grant; concurrent_requests needs none. */
        @WithDefault("none")
        String window();

        /** The most admitted per window. */
        long limit();

        /** Count per model (true) or for the whole account (false). */
        @WithDefault("false")
        boolean perModel();

        /** Length of a rolling window in seconds. */
        Optional<Long> seconds();

        /** Last day a grant may be used, YYYY-MM-DD. */
        Optional<String> expires();

        /** free: the rule bounds a free allowance; paid: it only caps billed calls (a paid plan's rate limit). */
        @WithDefault("free")
        String tier();
    }

    /** A model's facts, for models the catalog lacks or gets wrong. */
    interface ModelConfig {

        /** Prompt plus output tokens the model accepts. */
        Optional<Integer> contextWindow();

        /** Most output tokens per call. */
        Optional<Integer> maxOutput();

        /** coding, reasoning, creative, simple, max_context. */
        Optional<List<String>> strengths();

        /** tools, json, vision. */
        Optional<List<String>> capabilities();

        /** chat (the default) or embedding: an embedding model serves /v1/embeddings only. */
        Optional<String> kind();

        /** An embedding model's default vector length. */
        Optional<Integer> dimensions();

        /** The vector lengths a request's {@code dimensions} may ask an embedding model for. */
        Optional<List<Integer>> dimensionChoices();

        /** Most inputs an embedding model takes in one request. */
        Optional<Integer> maxInputs();

        /** Whether the provider offers it on a free tier; corrects the catalog (true for a model it lacks). */
        Optional<Boolean> free();
    }

    /** The OpenAI-compatible surface. */
    interface Api {

        /** Largest request body accepted; larger ones get an OpenAI-shaped 413. */
        @WithName("max-body-size")
        @WithDefault("4M")
        io.quarkus.runtime.configuration.MemorySize maxBodySize();
    }
}
