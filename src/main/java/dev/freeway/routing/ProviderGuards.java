package dev.freeway.routing;

import dev.freeway.config.GuardSettings;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Reply;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One SmallRye Fault Tolerance Guard per provider, built once at start-up from its pool entry: a circuit breaker
 * that opens when a provider keeps failing, and stays open for its delay before a trial call. Retries are the
 * executor's, not the guard's: each retry is a new upstream call and so needs a reservation of its own; this class
 * says which failures are worth one and how long to wait first.
 */
@ApplicationScoped
public class ProviderGuards {

    private final Map<String, Guard> guards = new HashMap<>();

    public ProviderGuards(Pool pool) {
        for (ProviderPool provider : pool.all()) {
            guards.put(provider.name(), build(provider));
        }
    }

    /**
     * A call under the provider's circuit breaker; an open circuit answers without calling upstream. A completion
     * counts for the circuit when it answers; a stream that started counts when it ends ({@link #streamEnded}), so
     * one that breaks off later is a failure, not a success followed by a failure.
     *
     * @throws CircuitOpen when the circuit is open
     */
    public Reply call(ProviderPool provider, boolean stream, Supplier<Reply> call) {
        if (!stream) {
            try {
                return guards.get(provider.name()).get(() -> judge(call.get()), Reply.class);
            } catch (Failed e) {
                return e.reply;
            } catch (CircuitBreakerOpenException e) {
                throw new CircuitOpen(provider.name());
            }
        }
        if (isOpen(provider.name())) {
            throw new CircuitOpen(provider.name());
        }
        Reply reply = call.get();
        if (!reply.streaming()) {
            record(provider, !countsAgainstCircuit(reply.outcome()));
        }
        return reply;
    }

    /** A started stream ended: with its end ({@code finished}), or broken off, which is the provider's failure. */
    public void streamEnded(ProviderPool provider, boolean finished) {
        record(provider, finished);
    }

    private void record(ProviderPool provider, boolean ok) {
        try {
            guards.get(provider.name()).get(() -> {
                if (!ok) {
                    throw new Failed(null);
                }
                return null;
            }, Reply.class);
        } catch (Failed | CircuitBreakerOpenException e) {
            // counted; an open circuit needs no more
        }
    }

    /** closed, open or half_open: for status. */
    public String circuitState(String provider) {
        CircuitBreakerState state = CircuitBreakerMaintenance.get().currentState(circuitName(provider));
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isOpen(String provider) {
        return CircuitBreakerMaintenance.get().currentState(circuitName(provider)) == CircuitBreakerState.OPEN;
    }

    /**
     * Worth another call on the same account: a 5xx or a broken connection, or a rate limit that frees up within the
     * retry's longest delay. A timeout has spent its budget and a longer wait is better spent on another candidate.
     */
    static boolean retryable(ProviderPool provider, Outcome outcome, Instant now) {
        if (outcome.kind() == Outcome.Kind.UPSTREAM_ERROR) {
            return !"timeout".equals(outcome.code()) && !"redirect".equals(outcome.code());
        }
        if (outcome.kind() == Outcome.Kind.TRANSIENT && outcome.until() != null) {
            return Duration.between(now, outcome.until()).compareTo(provider.guard().retryMaxDelay()) <= 0;
        }
        return false;
    }

    /** How long to wait before retry number {@code retry} (1, 2, ...): exponential, at most the longest delay. */
    static Duration backoff(ProviderPool provider, int retry, Outcome outcome, Instant now) {
        GuardSettings config = provider.guard();
        long millis = config.retryDelay().toMillis() << Math.min(20, retry - 1);
        Duration wait = Duration.ofMillis(Math.min(millis, config.retryMaxDelay().toMillis()));
        if (outcome.until() != null && outcome.until().isAfter(now.plus(wait))) {
            // the provider said when (within retryMaxDelay); the failure parked the account until then, so the
            // retry's reserve must come after that parking has gone, whole milliseconds and Redis's clock included
            wait = Duration.between(now, outcome.until()).plus(PAST_THE_PARKING);
        }
        return wait;
    }

    /** How long after a provider's "until" a retry waits, so the parking its failure wrote has expired. */
    static final Duration PAST_THE_PARKING = Duration.ofMillis(50);

    /** Only the provider's own failures open its circuit; quota answers and client errors say nothing of its health. */
    static boolean countsAgainstCircuit(Outcome outcome) {
        return outcome.kind() == Outcome.Kind.UPSTREAM_ERROR;
    }

    private static Reply judge(Reply reply) {
        if (countsAgainstCircuit(reply.outcome())) {
            throw new Failed(reply);
        }
        return reply;
    }

    private static Guard build(ProviderPool provider) {
        GuardSettings config = provider.guard();
        return Guard.create()
                .withDescription("provider " + provider.name())
                .withCircuitBreaker()
                    .name(circuitName(provider.name()))
                    .failOn(Failed.class)
                    .requestVolumeThreshold(Math.max(1, config.breakerVolume()))
                    .failureRatio(config.breakerFailureRatio())
                    .delay(config.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(1)
                    .done()
                .build();
    }

    static String circuitName(String provider) {
        return "freeway-provider-" + provider;
    }

    /** A failure that counts against the circuit; carries the attempt's reply. */
    static final class Failed extends RuntimeException {
        final transient Reply reply;

        Failed(Reply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }

    /** The provider's circuit is open: skip it without calling upstream. */
    public static final class CircuitOpen extends RuntimeException {
        public CircuitOpen(String provider) {
            super("circuit open for " + provider, null, false, false);
        }
    }
}
