package dev.freeway.provider.dialect;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The error dialects by the name a provider's catalog entry gives ({@code ProviderSpec.dialect}). Dialects are
 * stateless, so one instance of each serves every call.
 */
public final class Dialects {

    /** The dialect of a provider that names none: plain OpenAI-compatible. */
    public static final String DEFAULT = "openai";

    private static final Map<String, FamilyDialect> BY_NAME = Stream.of(new OpenAiDialect(), new GeminiDialect(),
                    new GroqDialect(), new ZaiDialect(), new DashScopeDialect(), new MoonshotDialect(),
                    new HuggingFaceDialect(), new OpenRouterDialect(), new CerebrasDialect(), new CloudflareDialect(),
                    new MistralDialect())
            .collect(Collectors.toUnmodifiableMap(FamilyDialect::name, Function.identity()));

    private Dialects() {
    }

    /**
     * The dialect registered under {@code name}, ignoring case and surrounding blanks; the generic {@code openai}
     * dialect when the name is null or blank.
     *
     * @throws IllegalArgumentException when no dialect has that name, listing the names there are
     */
    public static FamilyDialect forName(String name) {
        String key = name == null || name.isBlank() ? DEFAULT : name.strip().toLowerCase(Locale.ROOT);
        FamilyDialect dialect = BY_NAME.get(key);
        if (dialect == null) {
            throw new IllegalArgumentException("unknown error dialect '" + name + "' (use one of " + names() + ")");
        }
        return dialect;
    }

    /** Every registered name, sorted. */
    public static Set<String> names() {
        return new TreeSet<>(BY_NAME.keySet());
    }
}
