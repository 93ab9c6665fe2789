package dev.freeway.routing;

import dev.freeway.config.Account;
import dev.freeway.config.FreewayConfig;
import dev.freeway.provider.Completion;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.ProviderAdapter;
import dev.freeway.provider.ProviderCall;
import dev.freeway.provider.RateLimitReport;
import dev.freeway.provider.RequestRewriter;
import dev.freeway.provider.StreamStart;
import dev.freeway.quota.Reservation;
import dev.freeway.quota.RoutingMemory;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * The way of one request: for each planned candidate, its accounts in the strategy's order; reserve, call under the
 * provider's guard, then settle, or release and park and move on. A client error is answered at once and never
 * retried elsewhere; a prompt too long moves to a candidate with a larger window; a refused key parks its account.
 */
@ApplicationScoped
public class FallbackExecutor {

    private static final Logger LOG = Logger.getLogger(FallbackExecutor.class);

    private final CandidatePlanner planner;
    private final AccountOrder accounts;
    private final QuotaGate quota;
    private final ProviderGuards guards;
    private final ProviderAdapter adapter;
    private final RoutingMemory memory;
    private final Duration stickFor;
    private final Clock clock;
    private final RequestMetrics metrics;

    public FallbackExecutor(CandidatePlanner planner, AccountOrder accounts, QuotaGate quota, ProviderGuards guards,
                            ProviderAdapter adapter, RoutingMemory memory, FreewayConfig config, Clock clock,
                            RequestMetrics metrics) {
        this.planner = planner;
        this.accounts = accounts;
        this.quota = quota;
        this.guards = guards;
        this.adapter = adapter;
        this.memory = memory;
        this.stickFor = config.routing().stickyFor();
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Serves a non-streaming request, or throws the {@link RouteFailure} the client should see. */
    @Fallback(fallbackMethod = "servedNothing", skipOn = RouteFailure.class)
    public Served complete(RouteRequest request) {
        Success<Completion> won = run(request, new Leg<>(
                (candidate, call) -> guards.complete(candidate.provider(), () -> adapter.complete(call)),
                Completion::outcome, Completion::reached, Completion::report));
        Completion completion = won.result();
        quota.settle(won.reservation(), completion.usage(), completion.report());
        afterServing(won, request, completion.latency());
        return new Served(won.candidate(), won.account(), won.attempts(), completion, won.skipped(), won.headers());
    }

    /** Opens a stream on the first candidate that answers with data; fallback ends once the client has a byte. */
    @Fallback(fallbackMethod = "streamedNothing", skipOn = RouteFailure.class)
    public ServedStream stream(RouteRequest request) {
        Success<StreamStart> won = run(request, new Leg<>(
                (candidate, call) -> guards.stream(candidate.provider(), () -> adapter.stream(call)),
                StreamStart::outcome, StreamStart::reached, StreamStart::report));
        afterServing(won, request, won.result().timeToFirstEvent());
        Reservation reservation = won.reservation();
        RateLimitReport report = won.result().report();
        return new ServedStream(won.candidate(), won.account(), won.attempts(), won.result(),
                RequestRewriter.clientWantsStreamUsage(request.body()), won.skipped(), won.headers(),
                usage -> quota.settle(reservation, usage, report));
    }

    /** The final error when something other than routing's own answers went wrong: a 503, the cause in the log. */
    Served servedNothing(RouteRequest request, Throwable cause) {
        throw unexpected(cause);
    }

    ServedStream streamedNothing(RouteRequest request, Throwable cause) {
        throw unexpected(cause);
    }

    private static RouteFailure unexpected(Throwable cause) {
        LOG.error("Routing failed unexpectedly", cause);
        return new RouteFailure(RouteFailure.Kind.UNAVAILABLE, "Freeway could not route this request; the log has"
                + " the details.", "routing_failed", 503, null, java.util.List.of());
    }

    private <T> Success<T> run(RouteRequest request, Leg<T> leg) {
        Plan plan = planner.plan(request);
        Attempts attempts = new Attempts(plan.skipped());
        int tooSmall = 0;
        for (Candidate candidate : plan.candidates()) {
            if (tooSmall > 0 && candidate.contextWindow() > 0 && candidate.contextWindow() <= tooSmall) {
                attempts.skip(candidate, null, "context window not larger than one the prompt did not fit", null);
                continue;
            }
            for (Account account : accounts.order(candidate, request)) {
                Reservation reservation = quota.reserve(candidate, account, request);
                if (!reservation.admitted()) {
                    metrics.quotaDenied(candidate.provider().name(), candidate.model());
                    attempts.denied(candidate, account, "no room: " + reservation.deniedBy(), reservation.retryAt());
                    continue;
                }
                ProviderCall call = new ProviderCall(candidate.provider().spec(), account.key(),
                        RequestRewriter.rewrite(request.body(), candidate.provider().spec(), candidate.model()),
                        candidate.provider().timeout());
                long started = System.nanoTime();
                T result;
                try {
                    result = leg.call().apply(candidate, call);
                } catch (ProviderGuards.CircuitOpen open) {
                    quota.release(reservation);
                    attempts.skip(candidate, null, "circuit open", null);
                    break;
                }
                attempts.called();
                Outcome outcome = leg.outcome().apply(result);
                metrics.called(candidate.provider().name(), candidate.model(), outcome,
                        Duration.ofNanos(System.nanoTime() - started));
                if (outcome.ok() || answeredWithRefusal(outcome, result)) {
                    return new Success<>(candidate, account, reservation, result, attempts.calls(),
                            attempts.skipped(), headers(reservation));
                }
                quota.failed(reservation, candidate, account, outcome, leg.reached().apply(result),
                        leg.report().apply(result));
                if (!outcome.kind().movesOn()) {
                    throw clientFailure(outcome, attempts);
                }
                attempts.failed(candidate, account, outcome);
                if (outcome.kind() == Outcome.Kind.CONTEXT_TOO_LONG) {
                    tooSmall = Math.max(tooSmall, candidate.contextWindow());
                    break; // every account of this model has the same window
                }
            }
        }
        throw attempts.noneServed(clock.instant());
    }

    private void afterServing(Success<?> won, RouteRequest request, Duration latency) {
        accounts.served(won.candidate(), request, won.account(), stickFor);
        if ("weighted".equals(won.candidate().provider().loadBalancing())) {
            memory.recordLatency(won.account().quotaId(), won.candidate().model(), latency);
        }
    }

    /** A 200 whose finish_reason says the content was filtered is a valid OpenAI answer: passed on as it is. */
    private static boolean answeredWithRefusal(Outcome outcome, Object result) {
        return outcome.kind() == Outcome.Kind.CONTENT_FILTERED && result instanceof Completion completion
                && completion.answer().status() / 100 == 2;
    }

    private Map<String, String> headers(Reservation reservation) {
        return QuotaGate.headers(reservation, clock.instant());
    }

    private static RouteFailure clientFailure(Outcome outcome, Attempts attempts) {
        RouteFailure.Kind kind = outcome.kind() == Outcome.Kind.CONTENT_FILTERED
                ? RouteFailure.Kind.CONTENT_FILTERED : RouteFailure.Kind.CLIENT_ERROR;
        int status = outcome.status() >= 400 && outcome.status() < 500 ? outcome.status() : 400;
        String code = kind == RouteFailure.Kind.CONTENT_FILTERED ? "content_filter" : outcome.code();
        return new RouteFailure(kind, outcome.reason(), code, status, null, attempts.skipped());
    }

    /** How one kind of call (complete or stream) is made and read. */
    private record Leg<T>(java.util.function.BiFunction<Candidate, ProviderCall, T> call, Function<T, Outcome> outcome,
                          Function<T, Boolean> reached, Function<T, RateLimitReport> report) {
    }

    /** A candidate and account that answered, with what it cost to get there. */
    private record Success<T>(Candidate candidate, Account account, Reservation reservation, T result, int attempts,
                              java.util.List<Skip> skipped, Map<String, String> headers) {
    }
}
