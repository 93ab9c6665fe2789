package dev.freeway.config;

import dev.freeway.catalog.DialectName;
import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.config.FreewayConfig.AccountConfig;
import dev.freeway.config.FreewayConfig.LimitConfig;
import dev.freeway.config.FreewayConfig.ModelConfig;
import dev.freeway.config.FreewayConfig.ProviderConfig;
import io.smallrye.config.Expressions;
import org.eclipse.microprofile.config.Config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lays the configuration over the built-in catalog and checks it. Every mistake is collected and reported at once,
 * each naming the configuration key and the fix, so start-up stops with one message.
 */
public final class PoolBuilder {

    /** Provider names the quota engine keeps for itself. */
    private static final Set<String> RESERVED = Set.of("client", "pool");

    static final String GENERIC = "openai-compatible";
    /** Routers whose model list is a whole hub: any id may be addressed as provider/model. */
    private static final Set<String> OPEN_MODEL_LISTS = Set.of(GENERIC, "huggingface-router", "openrouter");
    /** {@code ${NAME}} or {@code ${NAME:default}}: the variable an unexpanded value names. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}:]+)");
    /** More keys than any account holds: where reading {@code api-keys[i]} as written stops. */
    private static final int MOST_KEYS = 100;

    private final Map<String, ProviderSpec> catalog;
    private final Function<String, Optional<String>> asWritten;
    private final List<String> mistakes = new ArrayList<>();
    private final List<Pool.Remark> remarks = new ArrayList<>();
    /** The catalog entry each configured provider is, by its name: two names may be one provider's accounts. */
    private final Map<String, String> types = new LinkedHashMap<>();

    public PoolBuilder(Map<String, ProviderSpec> catalog) {
        this(catalog, key -> Optional.empty());
    }

    /**
     * @param asWritten a configuration key's value as written, before {@code ${...}} expansion, so that a key whose
     *                  variable is unset can name the variable
     */
    public PoolBuilder(Map<String, ProviderSpec> catalog, Function<String, Optional<String>> asWritten) {
        this.catalog = catalog;
        this.asWritten = asWritten;
    }

    /** Values as written in {@code config}, unexpanded: what {@link #PoolBuilder(Map, Function)} wants. */
    public static Function<String, Optional<String>> asWritten(Config config) {
        return key -> Expressions.withoutExpansion(() -> Optional.ofNullable(config.getConfigValue(key).getRawValue()));
    }

    /** The providers alone, without routing configuration. */
    public Pool build(Map<String, ProviderConfig> configured) {
        return pool(providers(configured), Map.of(), RoutingSettings.NONE);
    }

    /** The pool with routing's settings and the model aliases, each checked: a mistake names its key and the fix. */
    public Pool build(FreewayConfig config) {
        Map<String, ProviderPool> providers = providers(config.providers());
        RoutingSettings routing = new RoutingSettingsBuilder(catalog, providers, mistakes, remarks)
                .build(config.routing());
        return pool(providers, config.routing().aliases(), routing);
    }

    private Map<String, ProviderPool> providers(Map<String, ProviderConfig> configured) {
        Map<String, ProviderPool> providers = new LinkedHashMap<>();
        // Configuration maps carry no order; the catalog's order (then the name) makes fallback deterministic.
        List<String> catalogOrder = List.copyOf(catalog.keySet());
        configured.keySet().stream()
                .sorted(Comparator.comparingInt((String key) -> position(catalogOrder, configured.get(key), key))
                        .thenComparing(Comparator.naturalOrder()))
                .forEach(key -> {
                    String name = catalogName(key, configured.get(key));
                    ProviderPool pool = provider(key, name, configured.get(key));
                    if (pool != null) {
                        providers.put(name, pool);
                    }
                });
        return Collections.unmodifiableMap(providers);
    }

    private Pool pool(Map<String, ProviderPool> providers, Map<String, String> aliases, RoutingSettings routing) {
        if (!mistakes.isEmpty()) {
            throw new InvalidConfigurationException(mistakes);
        }
        pooledUnderSeveralNames(providers);
        return new Pool(providers, aliases, routing, remarks);
    }

    /**
     * Accounts of one provider whose terms restrict pooling, configured under several names (each with
     * {@code type:} naming it): the same pooling as several accounts under one name, so the same warning.
     */
    private void pooledUnderSeveralNames(Map<String, ProviderPool> providers) {
        Map<String, List<ProviderPool>> byType = new LinkedHashMap<>();
        providers.values().stream().filter(p -> !p.accounts().isEmpty() && p.spec().poolingRestricted())
                .forEach(p -> byType.computeIfAbsent(types.get(p.name()), t -> new ArrayList<>()).add(p));
        byType.forEach((type, entries) -> {
            if (entries.size() > 1 && !GENERIC.equals(type)) {
                int accounts = entries.stream().mapToInt(p -> p.accounts().size()).sum();
                remarks.add(new Pool.Remark(true, String.format("Providers %s are all %s, %d accounts together,"
                        + " and its terms restrict pooling accounts: %s Freeway enforces each account's published"
                        + " limits and never works around them; use several accounts only where you legitimately"
                        + " hold them.", entries.stream().map(ProviderPool::name).toList(), type, accounts,
                        entries.get(0).spec().terms())));
            }
        });
    }

    /**
     * Environment variables cannot spell a dash: FREEWAY_PROVIDERS__GOOGLE_GEMINI__ACCOUNTS_0__ID arrives as the
     * provider "google.gemini" (or "google_gemini"). Such a name means the catalog entry it spells.
     */
    private String catalogName(String key, ProviderConfig config) {
        if (catalog.containsKey(key) || config.type().isPresent()) {
            return key;
        }
        return catalog.keySet().stream()
                .filter(id -> id.replace('-', '.').equals(key) || id.replace('-', '_').equals(key))
                .findFirst().orElse(key);
    }

    private int position(List<String> catalogOrder, ProviderConfig config, String name) {
        int index = catalogOrder.indexOf(config.type().orElse(catalogName(name, config)));
        return index < 0 ? Integer.MAX_VALUE : index;
    }

    /** @param key the provider's key as configured, for reading its values as written */
    private ProviderPool provider(String key, String name, ProviderConfig config) {
        String prefix = "freeway.providers." + name;
        if (name.contains("{") || name.contains("}")) {
            mistakes.add(prefix + ": a provider's name cannot have a brace (it names the accounts' Redis keys)");
            return null;
        }
        if (RESERVED.contains(name)) {
            // the quota engine keeps clients' and refused requests' counters under these names
            mistakes.add(prefix + ": '" + name + "' is reserved; name the provider otherwise and set type: ...");
            return null;
        }
        String type = config.type().orElse(name);
        ProviderSpec base = catalog.get(type);
        if (base == null) {
            mistakes.add(prefix + (config.type().isPresent() ? ".type" : "") + ": unknown provider '" + type
                    + "'. Use one of " + catalog.keySet() + ", or set type: " + GENERIC + " with a base-url");
            return null;
        }
        String baseUrl = config.baseUrl().orElse(base.baseUrl());
        if (baseUrl == null || baseUrl.isBlank()) {
            mistakes.add(prefix + ".base-url: missing. A provider of type " + type
                    + " needs base-url, e.g. http://127.0.0.1:11434/v1");
            return null;
        }
        if (baseUrl.contains("{")) {
            mistakes.add(prefix + ".base-url: " + baseUrl + " still has a placeholder; set base-url with it filled in");
        }
        ProviderSpec spec = base.toBuilder().id(name).baseUrl(trimSlash(baseUrl))
                .dialect(dialect(prefix, config, base)).resetZone(zone(prefix, config, base))
                .models(models(prefix, base, config.models()))
                .countsFailedCalls(config.countsFailedCalls().orElse(base.countsFailedCalls()))
                .streamUsage(config.streamUsage().orElse(base.streamUsage())).build();
        List<Account> accounts = accounts(prefix, "freeway.providers." + key, name, config);
        Timeouts timeouts = new Timeouts(positive(prefix + ".timeout", config.timeout()),
                positive(prefix + ".first-event-timeout", config.firstEventTimeout()),
                positive(prefix + ".idle-timeout", config.idleTimeout()),
                positive(prefix + ".keep-alive", config.keepAlive().orElse(GENERIC.equals(type)
                        ? Timeouts.SELF_HOSTED_KEEP_ALIVE : Timeouts.HOSTED_KEEP_ALIVE)),
                positive(prefix + ".connect-timeout", config.connectTimeout().orElse(Timeouts.CONNECT)));
        types.put(name, type);
        return new ProviderPool(name, spec, strategy(prefix, config.loadBalancing()), accounts, timeouts,
                OPEN_MODEL_LISTS.contains(type), guard(prefix + ".guard", config.guard()));
    }

    /** The retry and breaker settings, each in the range the guards accept (else they fail at the first call). */
    private GuardSettings guard(String prefix, FreewayConfig.GuardConfig config) {
        if (config.retries() < 0) {
            mistakes.add(prefix + ".retries: " + config.retries() + "; give 0 (no retry) or more");
        }
        notNegative(prefix + ".retry-delay", config.retryDelay());
        notNegative(prefix + ".retry-max-delay", config.retryMaxDelay());
        notNegative(prefix + ".breaker-delay", config.breakerDelay());
        double ratio = config.breakerFailureRatio();
        if (!(ratio > 0 && ratio <= 1)) {
            mistakes.add(prefix + ".breaker-failure-ratio: " + ratio
                    + " is not a share of calls; give one above 0 and at most 1 (default 0.5)");
        }
        return GuardSettings.of(config);
    }

    private DialectName dialect(String prefix, ProviderConfig config, ProviderSpec base) {
        try {
            return config.dialect().map(DialectName::parse).orElse(base.dialect());
        } catch (IllegalArgumentException e) {
            mistakes.add(prefix + ".dialect: " + e.getMessage());
            return base.dialect();
        }
    }

    private ZoneId zone(String prefix, ProviderConfig config, ProviderSpec base) {
        if (config.resetZone().isEmpty()) {
            return base.resetZone();
        }
        try {
            return ZoneId.of(config.resetZone().get());
        } catch (DateTimeException e) {
            mistakes.add(prefix + ".reset-zone: '" + config.resetZone().get()
                    + "' is not a time zone; use an IANA id such as UTC or America/Los_Angeles");
            return base.resetZone();
        }
    }

    private Map<String, ModelSpec> models(String prefix, ProviderSpec base, Map<String, ModelConfig> configured) {
        Map<String, ModelSpec> models = new LinkedHashMap<>(base.models());
        configured.forEach((id, m) -> {
            ModelSpec known = models.get(id);
            int context = m.contextWindow().orElse(known == null ? 0 : known.contextWindow());
            if (context <= 0) {
                mistakes.add(prefix + ".models." + id + ".context-window: needed for a model the catalog does not"
                        + " know; set it to the model's context length in tokens");
                return;
            }
            ModelSpec.Kind kind = kind(prefix + ".models." + id, m, known);
            if (kind == ModelSpec.Kind.EMBEDDING) {
                embedding(prefix + ".models." + id, id, context, m, known).ifPresent(spec -> models.put(id, spec));
                return;
            }
            int maxOutput = m.maxOutput().orElse(known == null ? Math.min(context, 8192) : known.maxOutput());
            // A model the catalog does not know declares nothing unless configured: no strengths (a candidate for
            // every task, behind those that declare it) and no capabilities (all assumed present).
            Set<String> strengths = m.strengths().<Set<String>>map(Set::copyOf)
                    .orElse(known == null ? Set.of() : known.strengths());
            Set<String> capabilities = m.capabilities().<Set<String>>map(Set::copyOf)
                    .orElse(known == null ? null : known.capabilities());
            models.put(id, new ModelSpec(id, context, maxOutput, strengths, capabilities,
                    known == null ? null : known.price(), known == null ? List.of() : known.rules(),
                    m.free().orElse(known == null || known.free())));
        });
        return Collections.unmodifiableMap(models);
    }

    private ModelSpec.Kind kind(String where, ModelConfig configured, ModelSpec known) {
        try {
            return configured.kind().map(ModelSpec.Kind::parse)
                    .orElse(known == null ? ModelSpec.Kind.CHAT : known.kind());
        } catch (IllegalArgumentException e) {
            mistakes.add(where + ".kind: " + e.getMessage());
            return ModelSpec.Kind.CHAT;
        }
    }

    /** An embedding model from configuration (e.g. one served by an openai-compatible server). */
    private java.util.Optional<ModelSpec> embedding(String where, String id, int context, ModelConfig configured,
                                                    ModelSpec known) {
        ModelSpec.Embedding base = known == null ? null : known.embedding();
        Integer dimensions = configured.dimensions().orElse(base == null ? null : base.dimensions());
        if (dimensions == null || dimensions <= 0) {
            mistakes.add(where + ".dimensions: an embedding model needs the length of its vectors, e.g. 1024");
            return java.util.Optional.empty();
        }
        Set<Integer> choices = configured.dimensionChoices().<Set<Integer>>map(Set::copyOf)
                .orElse(base == null ? Set.of() : base.dimensionChoices());
        int maxInputs = configured.maxInputs().orElse(base == null ? 0 : base.maxInputs());
        return java.util.Optional.of(new ModelSpec(id, context, 0, Set.of(), Set.of(),
                known == null ? null : known.price(), known == null ? List.of() : known.rules(),
                known == null || known.free(), ModelSpec.Kind.EMBEDDING,
                new ModelSpec.Embedding(dimensions, choices, maxInputs)));
    }

    private List<Account> accounts(String prefix, String written, String provider, ProviderConfig config) {
        List<AccountConfig> configured = config.accounts().orElse(List.of());
        List<Account> accounts = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < configured.size(); i++) {
            AccountConfig account = configured.get(i);
            String where = prefix + ".accounts[" + i + "]";
            if (account.id().contains("{") || account.id().contains("}")) {
                // braces would break the account's Redis hash tag: its keys must share one slot
                mistakes.add(where + ".id: '" + account.id() + "' has a brace; use letters, digits, '-', '_' or '.'");
            } else if (!ids.add(account.id())) {
                mistakes.add(where + ".id: '" + account.id() + "' is used twice at " + provider
                        + "; give each account its own id");
            }
            List<Credential> keys = keys(where, written + ".accounts[" + i + "]", account);
            List<LimitRule> rules = rules(where, account.limits().orElse(List.of()));
            accounts.add(new Account(provider, account.id(), keys, rules));
        }
        return List.copyOf(accounts);
    }

    private List<Credential> keys(String where, String written, AccountConfig account) {
        List<Credential> keys = new ArrayList<>();
        account.apiKey().filter(k -> !k.isBlank()).ifPresent(k -> keys.add(new Credential(k.trim())));
        account.apiKeys().ifPresent(list -> list.stream().filter(k -> !k.isBlank())
                .forEach(k -> keys.add(new Credential(k.trim()))));
        account.apiKeyFile().ifPresent(file -> {
            try {
                String key = Files.readString(Path.of(file)).trim();
                if (key.isEmpty()) {
                    mistakes.add(where + ".api-key-file: " + file + " is empty; write the key into it");
                } else {
                    keys.add(new Credential(key));
                }
            } catch (IOException | RuntimeException e) {
                mistakes.add(where + ".api-key-file: " + file + " cannot be read; mount the secret there or fix"
                        + " the path");
            }
        });
        if (keys.isEmpty() && account.apiKeyFile().isEmpty()) {
            List<String> unset = unsetVariables(written);
            if (!unset.isEmpty()) {
                mistakes.add(where + ": no key. Its key comes from the environment variable" + (unset.size() > 1
                        ? "s " : " ") + String.join(", ", unset) + ", which " + (unset.size() > 1 ? "are" : "is")
                        + " not set (or empty); set it, or use api-key-file");
            } else {
                mistakes.add(where + ": no key. Set api-key (e.g. ${GROQ_API_KEY}), api-key-file or api-keys;"
                        + " use api-key: none for a server without auth");
            }
        }
        return List.copyOf(keys);
    }

    /** The variables named by {@code ${...}} in an account's api-key and api-keys as written. */
    private List<String> unsetVariables(String account) {
        List<String> written = new ArrayList<>();
        asWritten.apply(account + ".api-key").ifPresent(written::add);
        for (int i = 0; i < MOST_KEYS; i++) {
            Optional<String> key = asWritten.apply(account + ".api-keys[" + i + "]");
            if (key.isEmpty()) {
                break;
            }
            written.add(key.get());
        }
        Set<String> names = new LinkedHashSet<>();
        written.forEach(text -> {
            Matcher variable = VARIABLE.matcher(text);
            while (variable.find()) {
                names.add(variable.group(1));
            }
        });
        return List.copyOf(names);
    }

    private List<LimitRule> rules(String where, List<LimitConfig> limits) {
        List<LimitRule> rules = new ArrayList<>();
        for (int i = 0; i < limits.size(); i++) {
            LimitConfig limit = limits.get(i);
            try {
                rules.add(rule(limit));
            } catch (RuntimeException e) {
                mistakes.add(where + ".limits[" + i + "]: " + e.getMessage());
            }
        }
        return rules;
    }

    /** A limit rule as configuration writes it; an IllegalArgumentException says what is wrong. */
    public static LimitRule rule(LimitConfig limit) {
        LimitRule.Metric metric = LimitRule.Metric.parse(limit.metric());
        LimitRule.Window window = LimitRule.Window.parse(limit.window());
        if (metric == LimitRule.Metric.CONCURRENT_REQUESTS) {
            window = LimitRule.Window.NONE;
        } else if (window == LimitRule.Window.NONE) {
            throw new IllegalArgumentException("window is missing; use minute, hour, day, month, rolling or grant");
        }
        Duration rolling = limit.seconds().map(Duration::ofSeconds).orElse(null);
        LocalDate expires;
        try {
            expires = limit.expires().map(LocalDate::parse).orElse(null);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("expires must be a date like 2027-02-28");
        }
        LimitRule.Scope scope = limit.perModel() ? LimitRule.Scope.MODEL : LimitRule.Scope.ACCOUNT;
        return new LimitRule(metric, window, scope, limit.limit(), rolling, expires, LimitRule.Tier.parse(limit.tier()));
    }

    private LoadBalancing strategy(String prefix, String configured) {
        try {
            return LoadBalancing.parse(configured);
        } catch (IllegalArgumentException e) {
            mistakes.add(prefix + ".load-balancing: " + e.getMessage());
            return LoadBalancing.ROUND_ROBIN;
        }
    }

    private void notNegative(String key, Duration value) {
        if (value.isNegative()) {
            mistakes.add(key + ": " + value + " is negative; give 0s or more");
        }
    }

    private Duration positive(String key, Duration value) {
        if (value.isZero() || value.isNegative()) {
            mistakes.add(key + ": must be positive, e.g. 60s");
            return Duration.ofSeconds(60);
        }
        return value;
    }

    private static String trimSlash(String url) {
        String trimmed = url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
