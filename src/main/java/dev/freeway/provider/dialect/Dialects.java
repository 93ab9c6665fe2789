package dev.freeway.provider.dialect;

import dev.freeway.provider.FamilyDialect;
import dev.freeway.catalog.DialectName;

import java.util.EnumMap;
import java.util.Map;

/**
 * The error dialect of each {@link DialectName} a provider's catalog entry gives ({@code ProviderSpec.dialect}).
 * Dialects are stateless, so one instance of each serves every call.
 */
public final class Dialects {

    private static final Map<DialectName, FamilyDialect> BY_NAME = new EnumMap<>(DialectName.class);

    static {
        for (DialectName name : DialectName.values()) {
            BY_NAME.put(name, create(name));
        }
    }

    private Dialects() {
    }

    /** The dialect of that name. */
    public static FamilyDialect of(DialectName name) {
        return BY_NAME.get(name);
    }

    /** One case per name: a new {@link DialectName} does not compile until it has its class here. */
    private static FamilyDialect create(DialectName name) {
        return switch (name) {
            case OPENAI -> new OpenAiDialect();
            case GEMINI -> new GeminiDialect();
            case GROQ -> new GroqDialect();
            case ZAI -> new ZaiDialect();
            case DASHSCOPE -> new DashScopeDialect();
            case MOONSHOT -> new MoonshotDialect();
            case HUGGINGFACE -> new HuggingFaceDialect();
            case OPENROUTER -> new OpenRouterDialect();
            case CEREBRAS -> new CerebrasDialect();
            case CLOUDFLARE -> new CloudflareDialect();
            case MISTRAL -> new MistralDialect();
        };
    }
}
