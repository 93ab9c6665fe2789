package dev.freeway.routing;

import dev.freeway.catalog.CatalogReader;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.catalog.RetiredModel;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns the requested model into the candidates that could serve it, in order. */
@ApplicationScoped
public class CandidatePlanner {

    private final Pool pool;

    public CandidatePlanner(Pool pool) {
        this.pool = pool;
    }

    public List<Candidate> plan(String requested) {
        ModelAddress address = ModelAddress.parse(requested, pool);
        return address.pinned() ? pinned(address) : anywhere(address.model());
    }

    private List<Candidate> pinned(ModelAddress address) {
        ProviderPool provider = pool.provider(address.provider()).orElseThrow();
        Optional<ModelSpec> spec = provider.spec().model(address.model());
        if (spec.isPresent() || provider.anyModel()) {
            return List.of(new Candidate(provider, address.model(), spec.orElse(null)));
        }
        retired(address.model(), provider.spec()).ifPresent(r -> {
            throw RouteFailure.modelNotFound(retiredMessage(r, provider.name()));
        });
        throw RouteFailure.modelNotFound("The model `" + address.model() + "` is not served by " + provider.name()
                + ". Its models: " + provider.spec().models().keySet());
    }

    private List<Candidate> anywhere(String model) {
        List<Candidate> candidates = new ArrayList<>();
        for (ProviderPool provider : pool.all()) {
            if (!provider.accounts().isEmpty()) {
                provider.spec().model(model).ifPresent(spec -> candidates.add(new Candidate(provider, model, spec)));
            }
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
                + " it. GET /v1/models lists what Freeway can route to; address one provider's model as"
                + " provider/model.");
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
