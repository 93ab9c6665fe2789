package dev.freeway.config;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What routing needs from {@code freeway.routing}, read and checked once by {@link PoolBuilder} and handed to routing
 * with the {@link Pool}: routing never reads configuration itself.
 *
 * @param tasks               per task key, its preferences as written: {@code provider/model} or a provider name
 * @param fallbackChain       providers tried after a task's own candidates
 * @param maxContextThreshold estimated prompt tokens from which a request counts as max_context
 * @param preserve            models kept for the requests that need them
 * @param schedules           time-of-day preferences
 * @param weights             the weighted strategy's score
 * @param stickyFor           how long a conversation keeps its account under the sticky strategy
 * @param classifier          which task classifier decides {@code auto}
 */
public record RoutingSettings(Map<String, List<String>> tasks, List<String> fallbackChain, long maxContextThreshold,
                              List<Preservation> preserve, List<Schedule> schedules, Weights weights,
                              Duration stickyFor, TaskClassifierKind classifier) {

    /** No routing configuration, for pools that are only read (capacity figures, tests): Freeway's defaults. */
    public static final RoutingSettings NONE = new RoutingSettings(Map.of(), List.of(), 32_000, List.of(), List.of(),
            new Weights(40, 30, 20, -10, Duration.ofSeconds(1), 5), Duration.ofHours(1),
            TaskClassifierKind.HEURISTIC);

    public RoutingSettings {
        tasks = Map.copyOf(tasks);
        fallbackChain = List.copyOf(fallbackChain);
        preserve = List.copyOf(preserve);
        schedules = List.copyOf(schedules);
    }

    /**
     * A model kept for some requests: those of its tasks, or with prompts of at least {@code minPromptTokens}.
     *
     * @param model           provider/model
     * @param forTasks        task keys it is kept for
     * @param minPromptTokens the smallest estimated prompt it is used for; null when only tasks count
     * @param never           whether other requests never get it; otherwise they try it last
     */
    public record Preservation(String model, Set<String> forTasks, Long minPromptTokens, boolean never) {

        public Preservation {
            forTasks = Set.copyOf(forTasks);
        }

        /** Whether it is kept for a request of this task and estimated prompt. */
        public boolean keptFor(String task, long promptTokens) {
            return forTasks.contains(task) || minPromptTokens != null && promptTokens >= minPromptTokens;
        }
    }

    /**
     * Between {@code from} and {@code to} in a zone, some providers go first and some last. A window whose end is
     * before its start spans midnight; one whose ends are equal is always open.
     */
    public record Schedule(LocalTime from, LocalTime to, ZoneId zone, Set<String> prefer, Set<String> avoid) {

        public Schedule {
            prefer = Set.copyOf(prefer);
            avoid = Set.copyOf(avoid);
        }

        public boolean covers(Instant now) {
            LocalTime local = now.atZone(zone).toLocalTime();
            if (from.equals(to)) {
                return true;
            }
            return from.isBefore(to)
                    ? !local.isBefore(from) && local.isBefore(to)
                    : !local.isBefore(from) || local.isBefore(to);
        }
    }

    /**
     * The weighted strategy's score: remaining quota share × quota + task fit × fit + speed × performance + closeness
     * to a limit × proximity (a negative weight).
     *
     * @param fastLatency an average under this earns the whole performance weight, a slower one half
     * @param spread      accounts scoring within this many points of the best share requests at random
     */
    public record Weights(double quota, double fit, double performance, double proximity, Duration fastLatency,
                          double spread) {
    }
}
