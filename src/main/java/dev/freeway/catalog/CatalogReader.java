package dev.freeway.catalog;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns Freeway's catalog format (kebab-case YAML, see {@code catalog/providers.yaml}) into {@link ProviderSpec}s.
 * Parses the Jackson tree by hand: no reflection-based binding, so the native image needs no registration.
 * Order is kept as written, for providers and for models.
 */
public final class CatalogReader {

    /** Where the built-in catalog lives on the class path. */
    public static final String BUILT_IN = "/catalog/providers.yaml";

    static final Set<String> STRENGTHS = orderedSet("coding", "reasoning", "creative", "simple", "max_context");
    static final Set<String> CAPABILITIES = orderedSet("tools", "json", "vision");

    private static final Set<String> PROVIDER_KEYS = orderedSet("display-name", "base-url", "auth-header",
            "auth-prefix", "dialect", "reset-zone", "stream-usage", "pooling-restricted", "counts-failed-calls", "terms",
            "free-tier",
            "quirks", "limits", "models", "retired");
    private static final Set<String> MODEL_KEYS = orderedSet("kind", "context-window", "max-output", "strengths",
            "capabilities", "free", "price", "limits", "dimensions", "dimension-choices", "max-inputs");
    private static final Set<String> EMBEDDING_ONLY = orderedSet("dimensions", "dimension-choices", "max-inputs");
    private static final Set<String> PRICE_KEYS = orderedSet("input", "output", "as-of");
    private static final Set<String> RETIRED_KEYS = orderedSet("retired-on", "replacement");
    private static final Set<String> QUIRK_KEYS = orderedSet("drop-params", "drop-message-fields", "force-params",
            "tool-choices", "response-formats", "non-streaming");
    private static final Set<String> MODEL_PARAMS_KEYS = orderedSet("model-prefix", "params");
    private static final Set<String> RULE_KEYS = orderedSet("metric", "window", "limit", "seconds", "expires",
            "tier");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // a repeated provider or model id is a mistake
            .build();

    private CatalogReader() {
    }

    /** The strength words a model may have; each is also a task (auto:coding, ...). */
    public static Set<String> strengths() {
        return STRENGTHS;
    }

    /** The catalog shipped with Freeway, read once and shared (the records are immutable). */
    public static Map<String, ProviderSpec> builtIn() {
        return BuiltIn.PROVIDERS;
    }

    /** Reads a catalog document with a top-level {@code providers:} mapping. */
    public static Map<String, ProviderSpec> read(InputStream yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new CatalogException("catalog: not valid YAML" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("catalog: could not be read", e);
        }
        CatalogNode document = CatalogNode.mapping(root, "catalog");
        document.allowOnly(Set.of("providers"));
        Map<String, ProviderSpec> providers = new LinkedHashMap<>();
        document.entries("providers", "provider").forEach((id, entry) -> providers.put(id, provider(id, entry)));
        if (providers.isEmpty()) {
            throw document.fail("providers", "the catalog names no provider");
        }
        return Collections.unmodifiableMap(providers);
    }

    /**
     * Reads one limit rule ({@code {metric, window, limit, seconds?, expires?}}); shared with the configuration
     * layer so that users write rules exactly as the catalog does.
     */
    public static LimitRule parseRule(JsonNode rule, LimitRule.Scope scope) {
        return rule(CatalogNode.mapping(rule, "rule"), scope);
    }

    /** A time zone id such as {@code America/Los_Angeles} or {@code UTC}, with a readable error. */
    public static ZoneId zone(String id) {
        try {
            return ZoneId.of(id.trim());
        } catch (DateTimeException e) {
            throw new CatalogException("unknown time zone '" + id + "' (use an id such as UTC or America/Los_Angeles)", e);
        }
    }

    private static ProviderSpec provider(String id, CatalogNode entry) {
        entry.allowOnly(PROVIDER_KEYS);
        entry.text("free-tier"); // required for people reading the file; ProviderSpec has no field for it yet
        DialectName dialect;
        try {
            dialect = DialectName.parse(entry.text("dialect"));
        } catch (IllegalArgumentException e) {
            throw entry.fail("dialect", e.getMessage());
        }
        String authPrefix = entry.optionalText("auth-prefix");
        Map<String, ModelSpec> models = models(entry);
        return new ProviderSpec(id, entry.text("display-name"), baseUrl(entry), entry.text("auth-header"),
                authPrefix == null ? "" : authPrefix, dialect, zone(entry, "reset-zone"), models,
                retired(entry, models), rules(entry, LimitRule.Scope.ACCOUNT), quirks(entry),
                entry.bool("stream-usage"), entry.text("terms"), entry.bool("pooling-restricted"),
                entry.bool("counts-failed-calls", false));
    }

    private static String baseUrl(CatalogNode entry) {
        String url = entry.optionalText("base-url");
        if (url == null) {
            return null; // a generic type: the user supplies the URL in configuration
        }
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw entry.fail("base-url", "expected an http:// or https:// URL, found '" + url + "'");
        }
        return url.replaceAll("/+$", "");
    }

    private static ZoneId zone(CatalogNode entry, String key) {
        try {
            return zone(entry.text(key));
        } catch (CatalogException e) {
            throw entry.fail(key, e.getMessage());
        }
    }

    private static Map<String, ModelSpec> models(CatalogNode provider) {
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        provider.entries("models", "model").forEach((id, entry) -> models.put(id, model(id, entry)));
        return Collections.unmodifiableMap(models);
    }

    private static ModelSpec model(String id, CatalogNode entry) {
        entry.allowOnly(MODEL_KEYS);
        ModelSpec.Kind kind = entry.has("kind") ? parse(entry, "kind", ModelSpec.Kind::parse) : ModelSpec.Kind.CHAT;
        if (kind == ModelSpec.Kind.EMBEDDING) {
            return embeddingModel(id, entry);
        }
        for (String key : EMBEDDING_ONLY) {
            if (entry.has(key)) {
                throw entry.fail(key, "only an embedding model (kind: embedding) has " + key);
            }
        }
        return new ModelSpec(id, entry.positiveInt("context-window"), entry.positiveInt("max-output"),
                entry.words("strengths", STRENGTHS), capabilities(entry), price(entry),
                rules(entry, LimitRule.Scope.MODEL), entry.bool("free"));
    }

    /** An embedding model: context-window is the tokens of one input; it writes no output and has no strengths. */
    private static ModelSpec embeddingModel(String id, CatalogNode entry) {
        for (String key : List.of("max-output", "strengths", "capabilities")) {
            if (entry.has(key)) {
                throw entry.fail(key, "an embedding model has no " + key);
            }
        }
        Set<Integer> choices = entry.positiveInts("dimension-choices");
        int maxInputs = entry.has("max-inputs") ? entry.positiveInt("max-inputs") : 0;
        return new ModelSpec(id, entry.positiveInt("context-window"), 0, Set.of(), Set.of(), price(entry),
                rules(entry, LimitRule.Scope.MODEL), entry.bool("free"), ModelSpec.Kind.EMBEDDING,
                new ModelSpec.Embedding(entry.positiveInt("dimensions"), choices, maxInputs));
    }

    /** The declared capabilities; null when the entry has no {@code capabilities} key (all assumed present). */
    private static Set<String> capabilities(CatalogNode model) {
        return model.has("capabilities") ? model.words("capabilities", CAPABILITIES) : null;
    }

    private static ModelSpec.Price price(CatalogNode model) {
        if (!model.has("price")) {
            return null;
        }
        CatalogNode price = model.child("price");
        price.allowOnly(PRICE_KEYS);
        return new ModelSpec.Price(price.nonNegativeDouble("input"), price.nonNegativeDouble("output"),
                price.text("as-of"));
    }

    private static Map<String, RetiredModel> retired(CatalogNode provider, Map<String, ModelSpec> models) {
        Map<String, RetiredModel> retired = new LinkedHashMap<>();
        provider.entries("retired", "retired model").forEach((id, entry) -> {
            entry.allowOnly(RETIRED_KEYS);
            if (models.containsKey(id)) {
                throw new CatalogException(entry.where() + ": the provider's models still list '" + id + "'");
            }
            String replacement = entry.text("replacement");
            if (!models.containsKey(replacement)) {
                throw entry.fail("replacement", "'" + replacement + "' is not a model of this provider");
            }
            retired.put(id, new RetiredModel(id, entry.optionalText("retired-on"), replacement));
        });
        return Collections.unmodifiableMap(retired);
    }

    private static List<LimitRule> rules(CatalogNode owner, LimitRule.Scope scope) {
        List<LimitRule> rules = new ArrayList<>();
        for (CatalogNode rule : owner.mappings("limits")) {
            rules.add(rule(rule, scope));
        }
        return List.copyOf(rules);
    }

    private static LimitRule rule(CatalogNode rule, LimitRule.Scope scope) {
        rule.allowOnly(RULE_KEYS);
        LimitRule.Metric metric = parse(rule, "metric", LimitRule.Metric::parse);
        LimitRule.Window window = parse(rule, "window", LimitRule.Window::parse);
        boolean concurrency = metric == LimitRule.Metric.CONCURRENT_REQUESTS;
        if (concurrency != (window == LimitRule.Window.NONE)) {
            throw rule.fail("window", concurrency
                    ? "concurrent_requests is not counted in a window: use window none"
                    : "window none is only for concurrent_requests");
        }
        Duration rolling = rollingLength(rule, window);
        LocalDate expires = expiry(rule, window);
        LimitRule.Tier tier = rule.has("tier") ? parse(rule, "tier", LimitRule.Tier::parse) : LimitRule.Tier.FREE;
        return new LimitRule(metric, window, scope, rule.nonNegativeLong("limit"), rolling, expires, tier);
    }

    private static Duration rollingLength(CatalogNode rule, LimitRule.Window window) {
        if (window != LimitRule.Window.ROLLING) {
            if (rule.has("seconds")) {
                throw rule.fail("seconds", "only a rolling window has a length in seconds");
            }
            return null;
        }
        if (!rule.has("seconds")) {
            throw rule.fail("seconds", "a rolling window needs its length in seconds");
        }
        return Duration.ofSeconds(rule.positiveInt("seconds"));
    }

    private static LocalDate expiry(CatalogNode rule, LimitRule.Window window) {
        String text = rule.optionalText("expires");
        if (text == null) {
            return null;
        }
        if (window != LimitRule.Window.GRANT) {
            throw rule.fail("expires", "only a grant expires");
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            throw rule.fail("expires", "expected a date as YYYY-MM-DD, found '" + text + "'");
        }
    }

    private static <T> T parse(CatalogNode rule, String key, Function<String, T> parser) {
        String text = rule.text(key);
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw rule.fail(key, e.getMessage());
        }
    }

    private static RequestQuirks quirks(CatalogNode provider) {
        if (!provider.has("quirks")) {
            return RequestQuirks.NONE;
        }
        CatalogNode quirks = provider.child("quirks");
        quirks.allowOnly(QUIRK_KEYS);
        List<RequestQuirks.ModelParams> nonStreaming = new ArrayList<>();
        for (CatalogNode entry : quirks.mappings("non-streaming")) {
            entry.allowOnly(MODEL_PARAMS_KEYS);
            nonStreaming.add(new RequestQuirks.ModelParams(entry.text("model-prefix"), entry.values("params")));
        }
        return new RequestQuirks(quirks.words("drop-params", null), quirks.words("drop-message-fields", null),
                quirks.values("force-params"), quirks.words("tool-choices", null),
                quirks.words("response-formats", null), List.copyOf(nonStreaming));
    }

    private static Set<String> orderedSet(String... values) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(values)));
    }

    /** Lazy holder: the built-in catalog is read on first use, once per class loader. */
    private static final class BuiltIn {
        static final Map<String, ProviderSpec> PROVIDERS = load();

        private static Map<String, ProviderSpec> load() {
            try (InputStream yaml = CatalogReader.class.getResourceAsStream(BUILT_IN)) {
                if (yaml == null) {
                    throw new IllegalStateException("the built-in catalog " + BUILT_IN + " is missing from the class path");
                }
                return read(yaml);
            } catch (IOException e) {
                throw new UncheckedIOException("the built-in catalog " + BUILT_IN + " could not be read", e);
            }
        }
    }
}
