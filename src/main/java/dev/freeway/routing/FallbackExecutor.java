package dev.freeway.routing;

import dev.freeway.config.Account;
import dev.freeway.provider.Chunks;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.ProviderAdapter;
import dev.freeway.provider.ProviderCall;
import dev.freeway.provider.Reply;
import dev.freeway.provider.RequestRewriter;
import dev.freeway.quota.Admission;
import dev.freeway.quota.QuotaConfig;
import dev.freeway.quota.Spent;
import dev.freeway.quota.RequestLog;
import dev.freeway.quota.RequestLogConfig;
import dev.freeway.quota.Trail;
import dev.freeway.quota.Reservation;
import dev.freeway.quota.TokenEstimator;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The way of one request: for each planned candidate, its accounts in the strategy's order; for each upstream call
 * one reservation and one {@link Attempt} that ends it (a retry on the same account reserves again), the call under
 * the provider's circuit breaker, then served, or failed and on to the next. A client error is answered at once and
 * never retried elsewhere; a prompt too long moves to a candidate with a larger window; a refused key parks its
 * account. A stream falls back only until its first event; its {@link StreamRelay} ends its attempt.
 */
@ApplicationScoped
public class FallbackExecutor {

    private static final Logger LOG = Logger.getLogger(FallbackExecutor.class);

    private final CandidatePlanner planner;
    private final AccountOrder accounts;
    private final AccountReservations quota;
    private final ProviderGuards guards;
    private final ProviderAdapter adapter;
    private final TokenEstimator estimator;
    private final long defaultOutput;
    private final Clock clock;
    private final RequestMetrics metrics;
    private final RequestLog log;
    private final boolean keepContent;

    public FallbackExecutor(CandidatePlanner planner, AccountOrder accounts, AccountReservations quota,
                            ProviderGuards guards, ProviderAdapter adapter, TokenEstimator estimator,
                            QuotaConfig quotaConfig, Clock clock, RequestMetrics metrics, RequestLog log,
                            RequestLogConfig requests) {
        this.planner = planner;
        this.accounts = accounts;
        this.quota = quota;
        this.guards = guards;
        this.adapter = adapter;
        this.estimator = estimator;
        this.defaultOutput = quotaConfig.defaultMaxOutputTokens();
        this.clock = clock;
        this.metrics = metrics;
        this.log = log;
        this.keepContent = requests.keepContent();
    }

    /** Serves the request (as a stream when it asks for one), or throws the {@link RouteFailure} the client sees. */
    @Fallback(fallbackMethod = "servedNothing", skipOn = RouteFailure.class)
    public Served serve(RouteRequest request) {
        Attempts attempts = new Attempts(List.of());
        Admission client = null;
        try {
            client = forClient(request);
            Served served = route(request, attempts);
            endWith(served, client);
            return served;
        } catch (RouteFailure refused) {
            if (client != null) {
                client.released().join();
            }
            if (refused.getCause() != null) {
                // a refusal of Freeway's own making (its quota store did not answer): why, with the request's id
                LOG.infof("Request %s answered %d %s: %s", request.trace().requestId(), refused.status(),
                        refused.code(), refused.getCause().getMessage());
            }
            // noted before the client gets its answer, in one round trip, like every other write of a request
            List<String> reasons = RequestRecord.reasons(refused);
            reasons.forEach(reason -> metrics.refused(reason));
            String name = request.trace().client().name();
            if (name != null) {
                metrics.clientRefused(name);
            }
            log.refused(reasons, name, RequestRecord.refused(request, refused, attempts.calls(),
                    keepContent, clock.instant()));
            throw refused;
        } catch (RuntimeException unexpected) {
            if (client != null) {
                client.released().join();
            }
            throw unexpected;
        }
    }

    /** The named client's own checks: the task it may ask for, and its own limits, reserved once for the request. */
    private Admission forClient(RouteRequest request) {
        ClientScope client = request.trace().client();
        if (!client.tasks().isEmpty() && !client.tasks().contains(request.task().key())) {
            throw new RouteFailure(RouteFailure.Kind.CLIENT_ERROR, "Client " + client.name() + " may ask for "
                    + client.tasks() + " only; this request is " + request.task().key() + ".", "task_not_allowed",
                    403, null, List.of());
        }
        return client.rules().isEmpty() ? null : quota.reserve(client, Estimate.of(request, null, defaultOutput));
    }

    /** The client's reservation ends with the request: now for a completion, when its stream ends for a stream. */
    private static void endWith(Served served, Admission client) {
        if (client == null) {
            return;
        }
        if (served.stream() != null) {
            served.stream().alongside(client);
        } else {
            client.used(Spent.reported(served.usage().promptTokens(), served.usage().completionTokens())).join();
        }
    }

    private Served route(RouteRequest request, Attempts attempts) {
        Plan plan = planner.plan(request);
        attempts.planned(plan.skipped());
        int tooSmall = 0;
        for (Candidate candidate : plan.candidates()) {
            if (tooSmall > 0 && candidate.contextWindow() > 0 && candidate.contextWindow() <= tooSmall) {
                attempts.skip(candidate, null, Skip.Why.CONTEXT_TOO_LONG,
                        "context window not larger than one the prompt did not fit", null);
                continue;
            }
            Estimate estimate = Estimate.of(request, candidate.spec(), defaultOutput);
            List<Account> offered = accounts.order(candidate, request);
            for (int position = 0; position < offered.size(); position++) {
                Account account = offered.get(position);
                Step step = onAccount(request, candidate, account, estimate, attempts);
                if (step.served != null) {
                    accounts.served(candidate, request, account, position, step.latency);
                    return step.served;
                }
                if (step.tooLong) {
                    tooSmall = Math.max(tooSmall, candidate.contextWindow());
                }
                if (step.nextCandidate) {
                    break;
                }
            }
        }
        throw attempts.noneServed(clock.instant());
    }

    /** The final error when something other than routing's own answers went wrong: a 503, the cause in the log. */
    Served servedNothing(RouteRequest request, Throwable cause) {
        LOG.errorf(cause, "Routing failed unexpectedly (request %s)", request.trace().requestId());
        throw new RouteFailure(RouteFailure.Kind.UNAVAILABLE, "Freeway could not route this request; the log has"
                + " the details.", "routing_failed", 503, null, List.of());
    }

    /** Calls on one account until it serves, fails for good, or has no room: a retry reserves again. */
    private Step onAccount(RouteRequest request, Candidate candidate, Account account, Estimate estimate,
                           Attempts attempts) {
        for (int retry = 1; ; retry++) {
            Reservation reservation = quota.reserve(candidate, account, estimate);
            if (!reservation.admitted()) {
                metrics.quotaDenied(candidate);
                attempts.denied(candidate, account, reservation.denial(), estimate);
                return Step.NEXT_ACCOUNT;
            }
            Attempt attempt = new Attempt(candidate, account, reservation,
                    estimate.granted(reservation.grantedPerChoice()));
            attempt.recordWith(recorder(request, attempts));
            Reply reply;
            long started = System.nanoTime();
            try {
                reply = guards.call(candidate.provider(), request.stream(), () -> call(request, attempt));
            } catch (ProviderGuards.CircuitOpen open) {
                attempt.released();
                attempts.skip(candidate, null, Skip.Why.CIRCUIT_OPEN, "circuit open", null);
                return Step.NEXT_CANDIDATE;
            } catch (RuntimeException unexpected) {
                attempt.failedInFreeway();
                throw unexpected;
            }
            attempts.called();
            Outcome outcome = reply.outcome();
            boolean served = outcome.ok() || answeredWithRefusal(outcome, reply);
            Instant now = clock.instant();
            boolean again = !served && outcome.kind().movesOn() && retry <= candidate.provider().guard().retries()
                    && ProviderGuards.retryable(candidate.provider(), outcome, now);
            boolean movedOn = !served && outcome.kind().movesOn() && !again;
            metrics.called(request.endpoint(), candidate, outcome,
                    Duration.ofNanos(System.nanoTime() - started), movedOn);
            if (served) {
                try {
                    return Step.served(won(request, attempt, reply, attempts), reply.latency());
                } catch (RuntimeException unexpected) {
                    attempt.failedInFreeway(); // its reservation ends whatever went wrong (it stays counted)
                    throw unexpected;
                }
            }
            Instant parkedUntil = attempt.failed(outcome, reply, now, movedOn);
            if (!outcome.kind().movesOn()) {
                throw clientFailure(outcome, attempts);
            }
            attempts.failed(candidate, account, outcome, parkedUntil);
            if (again && pause(ProviderGuards.backoff(candidate.provider(), retry, outcome, now))) {
                continue;
            }
            if (outcome.kind() != Outcome.Kind.CONTEXT_TOO_LONG) {
                return Step.NEXT_ACCOUNT;
            }
            // every account of a model has the same context window; one too large for a rate window (Groq's
            // tokens per minute) rules out this model only, not every candidate with a window no larger
            return outcome.window() == null ? Step.TOO_LONG : Step.NEXT_CANDIDATE;
        }
    }

    private Reply call(RouteRequest request, Attempt attempt) {
        Candidate candidate = attempt.candidate();
        var body = request.endpoint() == Endpoint.EMBEDDINGS ? request.body().deepCopy().put("model", candidate.model())
                : RequestRewriter.rewrite(request.body(), candidate.provider().spec(), candidate.model());
        if (attempt.estimate().capped()) {
            body.put("max_tokens", attempt.estimate().perChoice()); // no more than the reservation holds
        }
        ProviderCall call = new ProviderCall(candidate.provider().spec(), attempt.account().key(), body,
                candidate.provider().timeouts(), request.endpoint().upstreamPath());
        return request.stream() ? adapter.stream(call) : adapter.complete(call);
    }

    private Served won(RouteRequest request, Attempt attempt, Reply reply, Attempts attempts) {
        var headers = AccountReservations.headers(attempt.reservation(), clock.instant());
        if (reply.streaming()) {
            StreamRelay relay = new StreamRelay(attempt, reply, RequestRewriter.clientWantsStreamUsage(request.body()),
                    estimator, guards);
            return new Served(attempt, attempts.calls(), headers, reply, relay, null);
        }
        // the answer's text is needed to count it when the provider reported no usage, and to keep it when asked to
        String answer = reply.usage() == null || keepContent ? Chunks.text(reply.body()) : null;
        long counted = reply.usage() == null ? estimator.tokens(answer) : 0;
        attempt.served(reply.usage(), counted, reply, "done", answer);
        return new Served(attempt, attempts.calls(), headers, reply, null, attempt.settledTo(reply.usage(), counted));
    }

    /**
     * The trail a served attempt of this request leaves: its recent-requests entry, latency and token figures, its
     * named client's figures and what its provider's strategy keeps of it, all in the serving account's settlement.
     */
    private Attempt.Recorder recorder(RouteRequest request, Attempts attempts) {
        long started = System.nanoTime();
        String client = request.trace().client().name();
        return (attempt, usage, estimated, ending, answer, answeredIn) -> {
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            metrics.served(attempt.candidate(), attempt.account().id(), usage);
            if (client != null) {
                metrics.clientServed(client, usage);
            }
            return new Trail(latency, RequestRecord.served(request, attempt, attempts, latency, usage, estimated,
                    ending, answer, keepContent, clock.instant()), client,
                    accounts.settled(attempt.candidate(), request, attempt.account(), answeredIn));
        };
    }

    /** Waits before a retry; false when interrupted (the request is being abandoned). */
    private static boolean pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A 200 whose finish_reason says the content was filtered is a valid OpenAI answer: passed on as it is. */
    private static boolean answeredWithRefusal(Outcome outcome, Reply reply) {
        return outcome.kind() == Outcome.Kind.CONTENT_FILTERED && reply.body() != null
                && reply.answer().status() / 100 == 2;
    }

    private static RouteFailure clientFailure(Outcome outcome, Attempts attempts) {
        RouteFailure.Kind kind = outcome.kind() == Outcome.Kind.CONTENT_FILTERED
                ? RouteFailure.Kind.CONTENT_FILTERED : RouteFailure.Kind.CLIENT_ERROR;
        int status = outcome.status() >= 400 && outcome.status() < 500 ? outcome.status() : 400;
        String code = kind == RouteFailure.Kind.CONTENT_FILTERED ? "content_filter" : outcome.code();
        return new RouteFailure(kind, outcome.reason(), code, status, null, attempts.skipped());
    }

    /** What one account's turn came to. */
    private record Step(Served served, Duration latency, boolean nextCandidate, boolean tooLong) {
        static final Step NEXT_ACCOUNT = new Step(null, null, false, false);
        static final Step NEXT_CANDIDATE = new Step(null, null, true, false);
        static final Step TOO_LONG = new Step(null, null, true, true);

        static Step served(Served served, Duration latency) {
            return new Step(served, latency, false, false);
        }
    }
}
