package dev.freeway.routing;

import dev.freeway.catalog.CatalogReader;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.catalog.RetiredModel;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.routing.task.Task;
import dev.freeway.config.RoutingSettings;
import dev.freeway.config.RoutingSettings.Preservation;
import dev.freeway.config.RoutingSettings.Schedule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Turns a request into the candidates that could serve it, in order: the addressed model, or the task's chain (the
 * task's preferences, a provider's name standing for its models that declare the task, best first; else every model
 * that declares the task; then those that declare no strengths), then the fallback chain; keeping only those whose
 * context window fits, that have the capabilities the request needs and whose provider's circuit is closed; the
 * time-of-day schedule moves providers up or down, and a model preserved for other requests is tried last (or never,
 * when its rule says so). It reads its settings from the {@link Pool}, never from configuration.
 */
@ApplicationScoped
public class CandidatePlanner {

    private static final String NOT_ALLOWED = "not among the models allowed to client ";

    static final String CIRCUIT_OPEN = "circuit open";
    static final String PRESERVED = "preserved for other requests";

    private final Pool pool;
    private final RoutingSettings routing;
    private final Predicate<String> circuitOpen;
    private final Clock clock;
    private final Map<String, Preservation> preserved = new LinkedHashMap<>();

    @Inject
    public CandidatePlanner(Pool pool, ProviderGuards guards, Clock clock) {
        this(pool, guards::isOpen, clock);
    }

    public CandidatePlanner(Pool pool, Predicate<String> circuitOpen, Clock clock) {
        this.pool = pool;
        this.routing = pool.routing();
        this.circuitOpen = circuitOpen;
        this.clock = clock;
        routing.preserve().forEach(p -> preserved.put(p.model(), p));
    }

    public Plan plan(RouteRequest request) {
        if (request.endpoint() == Endpoint.EMBEDDINGS) {
            return embeddings(request);
        }
        ModelAddress address = ModelAddress.parse(request.model(), pool);
        List<Candidate> wanted = new ArrayList<>(address.auto() ? taskChain(request.task())
                : address.pinned() ? List.of(pinned(address)) : servedAnywhere(address.model()));
        // What the client named is tried as named; what Freeway adds must also fit its capabilities and rules.
        java.util.Set<Candidate> named = address.auto() ? java.util.Set.of() : java.util.Set.copyOf(wanted);
        if (!address.pinned()) {
            appendFallbackChain(wanted, request.task());
        }
        List<Candidate> kept = new ArrayList<>();
        List<Candidate> last = new ArrayList<>(); // preserved for other requests: tried after every other candidate
        List<Skip> skipped = new ArrayList<>();
        for (Candidate candidate : wanted) {
            boolean chosenByFreeway = !named.contains(candidate);
            Optional<String> why = whyNot(candidate, request, chosenByFreeway, address.auto());
            Preservation preservation = chosenByFreeway ? preservedFrom(candidate, request) : null;
            if (why.isPresent()) {
                skipped.add(new Skip(candidate.label(), null, why.get(), null));
            } else if (preservation != null && preservation.never()) {
                skipped.add(new Skip(candidate.label(), null, PRESERVED, null));
            } else {
                (preservation == null ? kept : last).add(candidate);
            }
        }
        if (kept.isEmpty() && last.isEmpty()) {
            throw wanted.isEmpty() ? noCandidate(request.task()) : nothingFits(skipped);
        }
        // A schedule reorders what the client named among itself, and what Freeway added among itself: never a
        // fallback ahead of the model asked for.
        List<Candidate> ordered = new ArrayList<>(bySchedule(kept.stream().filter(named::contains).toList()));
        ordered.addAll(bySchedule(kept.stream().filter(c -> !named.contains(c)).toList()));
        ordered.addAll(bySchedule(last));
        return new Plan(ordered, skipped);
    }

    /**
     * Embeddings are served by the model the client named and no other: vectors of different models are not
     * interchangeable, so fallback goes only to other providers (and accounts) serving that same model.
     */
    private Plan embeddings(RouteRequest request) {
        ModelAddress address = ModelAddress.parse(request.model(), pool);
        if (address.auto()) {
            throw new RouteFailure(RouteFailure.Kind.CLIENT_ERROR, "Embeddings need a model named (provider/model or"
                    + " a model id): vectors of different models are not interchangeable, so Freeway never picks"
                    + " one.", "model_required", 400, null, List.of()).param("model");
        }
        List<Candidate> wanted = address.pinned() ? List.of(pinned(address)) : servedAnywhere(address.model());
        List<Candidate> kept = new ArrayList<>();
        List<Skip> skipped = new ArrayList<>();
        for (Candidate candidate : wanted) {
            Optional<String> why = candidate.spec() == null ? Optional.empty()
                    : !candidate.spec().isEmbedding() ? Optional.of("not an embedding model")
                    : request.fit().whyNot(candidate.spec());
            if (why.isEmpty() && !request.trace().client().allows(candidate)) {
                why = Optional.of(NOT_ALLOWED + request.trace().client().name());
            }
            if (why.isEmpty() && circuitOpen.test(candidate.provider().name())) {
                why = Optional.of(CIRCUIT_OPEN);
            }
            why.ifPresentOrElse(reason -> skipped.add(new Skip(candidate.label(), null, reason, null)),
                    () -> kept.add(candidate));
        }
        if (kept.isEmpty()) {
            throw nothingFits(skipped);
        }
        return new Plan(kept, skipped);
    }

    /** The reason a candidate cannot serve this request, if there is one. */
    private Optional<String> whyNot(Candidate candidate, RouteRequest request, boolean chosenByFreeway,
                                    boolean askedAuto) {
        if (candidate.spec() != null && candidate.spec().isEmbedding()) {
            return Optional.of("an embedding model: it serves /v1/embeddings only");
        }
        if (!request.trace().client().allows(candidate, askedAuto)) {
            return Optional.of(NOT_ALLOWED + request.trace().client().name());
        }
        if (candidate.contextWindow() > 0 && request.windowNeeded() > candidate.contextWindow()) {
            return Optional.of("context window " + candidate.contextWindow() + " < " + request.windowNeeded()
                    + " tokens needed");
        }
        ModelSpec spec = candidate.spec();
        if (spec != null && chosenByFreeway) {
            for (String need : request.needs()) {
                if (!spec.can(need)) {
                    return Optional.of("cannot do " + need + " (it declares " + (spec.capabilities().isEmpty()
                            ? "no capabilities" : "only " + String.join(", ", spec.capabilities())) + ")");
                }
            }
        }
        if (circuitOpen.test(candidate.provider().name())) {
            return Optional.of(CIRCUIT_OPEN);
        }
        return Optional.empty();
    }

    /** The rule that keeps this candidate for other requests than this one, if there is one. */
    private Preservation preservedFrom(Candidate candidate, RouteRequest request) {
        Preservation rule = preserved.get(candidate.label());
        return rule == null || rule.keptFor(request.task().key(), request.promptTokens()) ? null : rule;
    }

    /** Preferred providers first and avoided ones last while a schedule window is open; order kept otherwise. */
    private List<Candidate> bySchedule(List<Candidate> candidates) {
        List<Schedule> open = routing.schedules().stream().filter(s -> s.covers(clock.instant())).toList();
        if (open.isEmpty()) {
            return candidates;
        }
        List<Candidate> ordered = new ArrayList<>(candidates);
        ordered.sort(java.util.Comparator.comparingInt(c -> rank(open, c.provider().name())));
        return ordered;
    }

    private static int rank(List<Schedule> open, String provider) {
        boolean preferred = open.stream().anyMatch(s -> s.prefer().contains(provider));
        boolean avoided = open.stream().anyMatch(s -> s.avoid().contains(provider));
        return preferred ? 0 : avoided ? 2 : 1;
    }

    private List<Candidate> taskChain(Task task) {
        List<Candidate> chain = new ArrayList<>();
        for (String entry : routing.tasks().getOrDefault(task.key(), List.of())) {
            resolve(entry, task).stream().filter(c -> !chain.contains(c)).forEach(chain::add);
        }
        if (chain.isEmpty()) {
            // Nothing of the chain is configured: every configured model with this strength, in pool order.
            addModels(chain, m -> m.declares(task.key()));
        }
        // A model that declares no strengths serves every task, behind those chosen for it.
        addModels(chain, ModelSpec::declaresNoStrengths);
        return chain;
    }

    private void addModels(List<Candidate> chain, Predicate<ModelSpec> which) {
        for (ProviderPool provider : servingPools()) {
            // Embedding models answer /v1/embeddings only: a chat plan never lands on one.
            provider.spec().models().values().stream().filter(m -> !m.isEmbedding()).filter(which)
                    .map(m -> new Candidate(provider, m.id(), m)).filter(c -> !chain.contains(c)).forEach(chain::add);
        }
    }

    /**
     * What a task preference stands for, when its provider has accounts: a provider/model entry that model; a
     * provider's name its models that declare the task, best first.
     */
    private List<Candidate> resolve(String entry, Task task) {
        int slash = entry.indexOf('/');
        if (slash < 0) {
            return pool.serving(entry).map(p -> p.spec().modelsFor(task.key()).stream()
                    .map(m -> new Candidate(p, m.id(), m)).toList()).orElse(List.of());
        }
        return pool.serving(entry.substring(0, slash))
                .flatMap(p -> p.spec().model(entry.substring(slash + 1)).map(m -> new Candidate(p, m.id(), m)))
                .stream().toList();
    }

    private void appendFallbackChain(List<Candidate> candidates, Task task) {
        for (String name : routing.fallbackChain()) {
            pool.provider(name).filter(p -> !p.accounts().isEmpty()).ifPresent(provider -> {
                // Embedding models answer /v1/embeddings only: a chat fallback never lands on one.
                List<ModelSpec> models = new ArrayList<>(provider.spec().models().values().stream()
                        .filter(m -> !m.isEmbedding()).toList());
                models.sort(java.util.Comparator.comparing(m -> !m.declares(task.key())));
                for (ModelSpec model : models) {
                    Candidate candidate = new Candidate(provider, model.id(), model);
                    if (!candidates.contains(candidate)) {
                        candidates.add(candidate);
                    }
                }
            });
        }
    }

    private List<ProviderPool> servingPools() {
        return pool.all().stream().filter(p -> !p.accounts().isEmpty()).toList();
    }

    private Candidate pinned(ModelAddress address) {
        ProviderPool provider = pool.provider(address.provider()).orElseThrow();
        Optional<ModelSpec> spec = provider.spec().model(address.model());
        if (spec.isPresent() || provider.anyModel()) {
            return new Candidate(provider, address.model(), spec.orElse(null));
        }
        retired(address.model(), provider.spec()).ifPresent(r -> {
            throw RouteFailure.modelNotFound(retiredMessage(r, provider.name()));
        });
        throw RouteFailure.modelNotFound("The model `" + address.model() + "` is not served by " + provider.name()
                + ". Its models: " + provider.spec().models().keySet());
    }

    private List<Candidate> servedAnywhere(String model) {
        List<Candidate> candidates = new ArrayList<>();
        for (ProviderPool provider : servingPools()) {
            provider.spec().model(model).ifPresent(spec -> candidates.add(new Candidate(provider, model, spec)));
        }
        if (!candidates.isEmpty()) {
            return candidates;
        }
        for (ProviderPool provider : pool.all()) {
            retired(model, provider.spec()).ifPresent(r -> {
                throw RouteFailure.modelNotFound(retiredMessage(r, provider.name()));
            });
        }
        for (ProviderSpec known : CatalogReader.builtIn().values()) {
            retired(model, known).ifPresent(r -> {
                throw RouteFailure.modelNotFound(retiredMessage(r, known.id()));
            });
        }
        throw RouteFailure.modelNotFound("The model `" + model + "` does not exist or no configured provider serves"
                + " it. GET /v1/models lists what Freeway can route to (" + ModelAddress.aliases()
                + ", or provider/model).");
    }

    /** No model was even considered: none is listed for the task, declares it, or declares no strengths. */
    private static RouteFailure noCandidate(Task task) {
        return new RouteFailure(RouteFailure.Kind.CLIENT_ERROR, "No configured model is a candidate for the task `"
                + task.key() + "`: freeway.routing.tasks." + task.key() + " lists none that is configured, and every"
                + " configured model declares strengths without `" + task.key() + "`. Add `" + task.key() + "` to a"
                + " model's strengths, list one under freeway.routing.tasks." + task.key() + ", set"
                + " freeway.routing.fallback-chain, or name a model instead of auto.", "no_candidate_for_task", 400,
                null, List.of());
    }

    private static RouteFailure nothingFits(List<Skip> skipped) {
        if (!skipped.isEmpty() && skipped.stream().allMatch(s -> s.reason().startsWith(NOT_ALLOWED))) {
            return new RouteFailure(RouteFailure.Kind.CLIENT_ERROR, "None of the models this request could use is"
                    + " among those its client may use (" + skipped.get(0).reason().substring(NOT_ALLOWED.length())
                    + "'s models).", "model_not_allowed", 403, null, skipped);
        }
        boolean allCircuits = skipped.stream().allMatch(s -> s.reason().equals(CIRCUIT_OPEN));
        if (allCircuits) {
            return new RouteFailure(RouteFailure.Kind.UNAVAILABLE, "Every candidate's provider is failing (circuit"
                    + " open); try again shortly.", "circuit_open", 503, null, skipped);
        }
        boolean tooLong = skipped.stream().anyMatch(s -> s.reason().startsWith("context window"));
        String reasons = skipped.stream().map(s -> s.candidate() + ": " + s.reason()).distinct()
                .collect(java.util.stream.Collectors.joining("; "));
        return new RouteFailure(RouteFailure.Kind.CLIENT_ERROR, (tooLong
                ? "No configured model has a context window large enough for this request: "
                : "No configured model can serve this request: ") + reasons + ".",
                tooLong ? "context_length_exceeded" : "no_capable_model", 400, null, skipped);
    }

    private static Optional<RetiredModel> retired(String model, ProviderSpec spec) {
        return Optional.ofNullable(spec.retired().get(model));
    }

    private static String retiredMessage(RetiredModel retired, String provider) {
        String when = retired.retiredOn() == null ? "" : " on " + retired.retiredOn();
        return "The model `" + retired.id() + "` was retired by " + provider + when + " and is not offered. Use `"
                + retired.replacement() + "` instead (or `" + provider + "/" + retired.replacement() + "`).";
    }
}
