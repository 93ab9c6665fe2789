package dev.freeway.routing;

import dev.freeway.config.Pool;

/**
 * What the client's {@code model} names: one provider's model ({@code provider/model}) or a bare model id that any
 * provider serving it may answer. Model ids contain slashes themselves ({@code openai/gpt-oss-120b}), so the part
 * before the first slash names a provider only when a provider of that name is configured.
 *
 * @param provider the configured provider name, or null for a bare id
 * @param model    the model id as that provider knows it
 */
public record ModelAddress(String provider, String model) {

    public static ModelAddress parse(String requested, Pool pool) {
        String text = requested.trim();
        int slash = text.indexOf('/');
        if (slash > 0 && slash < text.length() - 1 && pool.provider(text.substring(0, slash)).isPresent()) {
            return new ModelAddress(text.substring(0, slash), text.substring(slash + 1));
        }
        return new ModelAddress(null, text);
    }

    public boolean pinned() {
        return provider != null;
    }
}
