package dev.freeway.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.config.Account;
import dev.freeway.provider.Completion;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.ProviderAdapter;
import dev.freeway.provider.ProviderCall;
import dev.freeway.provider.RequestRewriter;
import dev.freeway.provider.StreamStart;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Tries a request's candidates in order, each account in turn, until one serves it: moves on when a provider is
 * exhausted, rate-limited, failing or refuses a key; moves to the next model when the prompt is too long; answers a
 * client error at once, never retrying it elsewhere.
 */
@ApplicationScoped
public class FallbackExecutor {

    private final CandidatePlanner planner;
    private final ProviderAdapter adapter;
    private final Clock clock = Clock.systemUTC();

    public FallbackExecutor(CandidatePlanner planner, ProviderAdapter adapter) {
        this.planner = planner;
        this.adapter = adapter;
    }

    /** Serves a non-streaming request, or throws the {@link RouteFailure} the client should see. */
    public Served complete(ObjectNode request) {
        Attempts attempts = new Attempts();
        for (Candidate candidate : planner.plan(request.get("model").asText())) {
            for (Account account : candidate.provider().accounts()) {
                attempts.called();
                Completion completion = adapter.complete(call(request, candidate, account));
                Outcome outcome = completion.outcome();
                if (outcome.ok() || outcome.kind() == Outcome.Kind.CONTENT_FILTERED && completion.answer().status() == 200) {
                    return new Served(candidate, account, attempts.calls(), completion, attempts.skipped(), Map.of());
                }
                if (!outcome.kind().movesOn()) {
                    throw clientFailure(outcome, attempts);
                }
                attempts.failed(candidate, account, outcome);
                if (outcome.kind() == Outcome.Kind.CONTEXT_TOO_LONG) {
                    break; // another account of the same model has the same window
                }
            }
        }
        throw attempts.noneServed(clock.instant());
    }

    /** Opens a stream on the first candidate that answers with data; fallback ends once the client has a byte. */
    public ServedStream stream(ObjectNode request) {
        Attempts attempts = new Attempts();
        boolean clientWantsUsage = RequestRewriter.clientWantsStreamUsage(request);
        for (Candidate candidate : planner.plan(request.get("model").asText())) {
            for (Account account : candidate.provider().accounts()) {
                attempts.called();
                StreamStart start = adapter.stream(call(request, candidate, account));
                Outcome outcome = start.outcome();
                if (outcome.ok()) {
                    return new ServedStream(candidate, account, attempts.calls(), start, clientWantsUsage,
                            attempts.skipped(), Map.of(), usage -> { });
                }
                if (!outcome.kind().movesOn()) {
                    throw clientFailure(outcome, attempts);
                }
                attempts.failed(candidate, account, outcome);
                if (outcome.kind() == Outcome.Kind.CONTEXT_TOO_LONG) {
                    break;
                }
            }
        }
        throw attempts.noneServed(clock.instant());
    }

    private static ProviderCall call(ObjectNode request, Candidate candidate, Account account) {
        var spec = candidate.provider().spec();
        return new ProviderCall(spec, account.key(), RequestRewriter.rewrite(request, spec, candidate.model()),
                candidate.provider().timeout());
    }

    private static RouteFailure clientFailure(Outcome outcome, Attempts attempts) {
        RouteFailure.Kind kind = outcome.kind() == Outcome.Kind.CONTENT_FILTERED
                ? RouteFailure.Kind.CONTENT_FILTERED : RouteFailure.Kind.CLIENT_ERROR;
        int status = outcome.status() >= 400 && outcome.status() < 500 ? outcome.status() : 400;
        String code = kind == RouteFailure.Kind.CONTENT_FILTERED ? "content_filter" : outcome.code();
        return new RouteFailure(kind, outcome.reason(), code, status, null, attempts.skipped());
    }

    /** For tests and status: the candidates a model resolves to. */
    public List<Candidate> plan(String model) {
        return planner.plan(model);
    }
}
