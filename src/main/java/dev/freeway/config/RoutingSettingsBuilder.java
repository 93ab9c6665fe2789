package dev.freeway.config;

import dev.freeway.catalog.CatalogReader;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.config.RoutingSettings.Preservation;
import dev.freeway.config.RoutingSettings.Schedule;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code freeway.routing} for {@link PoolBuilder}: each mistake names its key and joins the pool's one
 * start-up message; what is accepted but worth knowing (a task preference that names nothing configured) becomes a
 * {@link Pool.Remark}.
 */
final class RoutingSettingsBuilder {

    private static final String AUTO = "auto";

    private final Map<String, ProviderSpec> catalog;
    private final Map<String, ProviderPool> providers;
    private final List<String> mistakes;
    private final List<Pool.Remark> remarks;

    RoutingSettingsBuilder(Map<String, ProviderSpec> catalog, Map<String, ProviderPool> providers,
                           List<String> mistakes, List<Pool.Remark> remarks) {
        this.catalog = catalog;
        this.providers = providers;
        this.mistakes = mistakes;
        this.remarks = remarks;
    }

    RoutingSettings build(FreewayConfig.Routing routing) {
        routing.aliases().forEach((name, target) -> alias(name, target, routing.aliases()));
        Map<String, List<String>> tasks = tasks(routing.tasks());
        List<String> fallbackChain = routing.fallbackChain().orElse(List.of());
        fallbackChain.forEach(name -> named("freeway.routing.fallback-chain", name));
        FreewayConfig.Weights w = routing.weights();
        if (routing.maxContextThreshold() <= 0) {
            mistakes.add("freeway.routing.max-context-threshold: " + routing.maxContextThreshold()
                    + " is not a number of tokens; give a positive one (default 32000)");
        }
        if (routing.stickyFor().isNegative() || routing.stickyFor().isZero()) {
            mistakes.add("freeway.routing.sticky-for: " + routing.stickyFor()
                    + " keeps no conversation on its account; give a positive duration (default 1h)");
        }
        return new RoutingSettings(tasks, fallbackChain, routing.maxContextThreshold(),
                preserve(routing.preserve().orElse(List.of())), schedules(routing.schedules().orElse(List.of())),
                new RoutingSettings.Weights(w.quota(), w.fit(), w.performance(), w.proximity(), w.fastLatency(),
                        w.spread()), routing.stickyFor(), routing.classifier());
    }

    private void alias(String name, String target, Map<String, String> aliases) {
        String key = "freeway.routing.aliases." + name;
        String word = target == null ? "" : target.trim();
        if (name.isBlank() || name.trim().equals(AUTO) || name.trim().startsWith(AUTO + ":")) {
            mistakes.add(key + ": '" + name + "' is one of Freeway's own names; choose another alias name");
        } else if (word.isEmpty()) {
            mistakes.add(key + ": empty; map the alias to auto, auto:<task> or provider/model");
        } else if (word.startsWith(AUTO + ":") && !isTask(word.substring(5))) {
            mistakes.add(key + ": '" + word + "' is no task; use auto, or auto: with one of "
                    + CatalogReader.strengths());
        } else if (aliases.containsKey(word)) {
            mistakes.add(key + ": '" + word + "' is itself an alias; aliases do not chain, name its target instead");
        }
    }

    /** Task words are the catalog's strength words (routing's Task), read here without depending on routing. */
    private static boolean isTask(String word) {
        return CatalogReader.strengths().contains(word.trim().toLowerCase(Locale.ROOT));
    }

    /** Each task's preferences; each entry that adds nothing is reported, those of unconfigured providers at once. */
    private Map<String, List<String>> tasks(Map<String, List<String>> configured) {
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        Set<String> unconfigured = new TreeSet<>();
        configured.forEach((task, entries) -> {
            String key = "freeway.routing.tasks." + task;
            if (!isTask(task)) {
                mistakes.add(key + ": '" + task + "' is no task; use one of " + CatalogReader.strengths());
                return;
            }
            List<String> kept = entries.stream().map(String::trim).filter(e -> !e.isEmpty()).toList();
            kept.forEach(entry -> preference(key, task, entry).ifPresent(unconfigured::add));
            tasks.put(task, kept);
        });
        if (!unconfigured.isEmpty()) {
            remarks.add(new Pool.Remark(false, "freeway.routing.tasks: entries for providers without accounts are"
                    + " skipped: " + String.join(", ", unconfigured)));
        }
        return tasks;
    }

    /**
     * Reports a preference that adds nothing: a provider without a model for the task, a model the provider lacks,
     * or a name nothing has.
     *
     * @return the provider it names when that provider is known but has no account
     */
    private Optional<String> preference(String key, String task, String entry) {
        int slash = entry.indexOf('/');
        String name = slash < 0 ? entry : entry.substring(0, slash);
        ProviderPool provider = providers.get(name);
        if (provider == null || provider.accounts().isEmpty()) {
            if (provider != null || catalog.containsKey(name)) {
                return Optional.of(name);
            }
            remarks.add(new Pool.Remark(true, key + ": '" + entry + "' names nothing configured: no provider '" + name
                    + "' (configured: " + serving() + "); write a provider's name or provider/model"));
        } else if (slash < 0 && provider.spec().modelsFor(task).isEmpty()) {
            remarks.add(new Pool.Remark(true, key + ": '" + entry + "' adds nothing: none of its models declares "
                    + task + " among its strengths"));
        } else if (slash > 0 && provider.spec().model(entry.substring(slash + 1)).isEmpty()) {
            remarks.add(new Pool.Remark(true, key + ": '" + entry + "' names no model of " + name
                    + " (GET /v1/models lists them)"));
        }
        return Optional.empty();
    }

    /** A provider name in the fallback chain: reported when nothing configured has it. */
    private void named(String key, String name) {
        ProviderPool provider = providers.get(name);
        if (provider == null && !catalog.containsKey(name)) {
            remarks.add(new Pool.Remark(true, key + ": '" + name + "' names nothing configured: no provider '" + name
                    + "' (configured: " + serving() + ")"));
        }
    }

    private List<String> serving() {
        return providers.values().stream().filter(p -> !p.accounts().isEmpty()).map(ProviderPool::name).toList();
    }

    private List<Preservation> preserve(List<FreewayConfig.Preserve> configured) {
        List<Preservation> rules = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            FreewayConfig.Preserve rule = configured.get(i);
            String where = "freeway.routing.preserve[" + i + "]";
            Set<String> tasks = new TreeSet<>();
            for (String task : rule.forTasks().orElse(List.of())) {
                if (isTask(task)) {
                    tasks.add(task.trim().toLowerCase(Locale.ROOT));
                } else {
                    mistakes.add(where + ".for: '" + task + "' is no task; use " + CatalogReader.strengths());
                }
            }
            String others = rule.others().trim().toLowerCase(Locale.ROOT);
            if (!others.equals("last") && !others.equals("never")) {
                mistakes.add(where + ".others: '" + rule.others() + "'; use last (other requests try the model"
                        + " after every other candidate) or never");
            }
            rules.add(new Preservation(rule.model().trim(), tasks, rule.minPromptTokens().orElse(null),
                    others.equals("never")));
        }
        return rules;
    }

    private List<Schedule> schedules(List<FreewayConfig.Schedule> configured) {
        List<Schedule> schedules = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            FreewayConfig.Schedule s = configured.get(i);
            String where = "freeway.routing.schedules[" + i + "]";
            try {
                schedules.add(new Schedule(time(where + ".from", s.from()), time(where + ".to", s.to()),
                        ZoneId.of(s.zone()), Set.copyOf(s.prefer().orElse(List.of())),
                        Set.copyOf(s.avoid().orElse(List.of()))));
            } catch (DateTimeException e) {
                mistakes.add(where + ".zone: '" + s.zone() + "' is not a time zone; use an IANA id such as UTC or"
                        + " Europe/Berlin");
            } catch (IllegalArgumentException e) {
                mistakes.add(e.getMessage());
            }
        }
        return schedules;
    }

    private static LocalTime time(String key, String text) {
        try {
            return LocalTime.parse(text.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a time of day; write HH:mm, e.g. 09:00");
        }
    }
}
