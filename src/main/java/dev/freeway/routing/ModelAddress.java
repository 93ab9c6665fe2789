package dev.freeway.routing;

import dev.freeway.config.Pool;
import dev.freeway.routing.task.Task;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the client's {@code model} names: {@code auto} or a task alias ({@code auto:coding}), one provider's model
 * ({@code provider/model}), or a bare model id that any provider serving it may answer. Model ids contain slashes
 * themselves ({@code openai/gpt-oss-120b}), so the part before the first slash names a provider only when a provider
 * of that name is configured.
 *
 * @param provider the configured provider name, or null for a bare id or an alias
 * @param model    the model id as that provider knows it, or the alias
 * @param auto     whether Freeway chooses the model
 * @param task     the task an alias names; empty for plain {@code auto} and for models
 */
public record ModelAddress(String provider, String model, boolean auto, Optional<Task> task) {

    public static final String AUTO = "auto";

    /**
     * What {@code requested} names; a configured alias ({@code freeway.routing.aliases}) is replaced by what it
     * stands for first.
     */
    public static ModelAddress parse(String requested, Pool pool) {
        String text = pool.alias(requested.trim()).orElse(requested).trim();
        if (text.equals(AUTO)) {
            return new ModelAddress(null, text, true, Optional.empty());
        }
        if (text.startsWith(AUTO + ":")) {
            Task task = Task.parse(text).orElseThrow(() -> RouteFailure.modelNotFound("Unknown model alias `"
                    + text + "`. Valid aliases: " + aliases() + "."));
            return new ModelAddress(null, text, true, Optional.of(task));
        }
        int slash = text.indexOf('/');
        if (slash > 0 && slash < text.length() - 1 && pool.provider(text.substring(0, slash)).isPresent()) {
            return new ModelAddress(text.substring(0, slash), text.substring(slash + 1), false, Optional.empty());
        }
        return new ModelAddress(null, text, false, Optional.empty());
    }

    /** auto and every auto:task alias. */
    public static String aliases() {
        return AUTO + ", " + Arrays.stream(Task.values()).map(t -> AUTO + ":" + t.key())
                .collect(Collectors.joining(", "));
    }

    public boolean pinned() {
        return provider != null;
    }
}
