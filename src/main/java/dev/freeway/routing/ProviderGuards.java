package dev.freeway.routing;

import dev.freeway.config.FreewayConfig.GuardConfig;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.provider.Completion;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.StreamStart;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One SmallRye Fault Tolerance Guard per provider, built once at start-up from configuration: retry with exponential
 * backoff for transient failures only, and a circuit breaker that opens when a provider keeps failing. The HTTP
 * client's own timeout bounds each attempt.
 */
@ApplicationScoped
public class ProviderGuards {

    private final Map<String, Guard> guards = new HashMap<>();

    public ProviderGuards(Pool pool) {
        for (ProviderPool provider : pool.all()) {
            guards.put(provider.name(), build(provider));
        }
    }

    /** A non-streaming call under the provider's guard; an open circuit answers without calling upstream. */
    public Completion complete(ProviderPool provider, Supplier<Completion> call) {
        return guarded(provider, () -> judge(provider, call.get(), Completion::outcome), Completion.class);
    }

    /** Opening a stream (up to its first event) under the provider's guard. */
    public StreamStart stream(ProviderPool provider, Supplier<StreamStart> call) {
        return guarded(provider, () -> judge(provider, call.get(), StreamStart::outcome), StreamStart.class);
    }

    /** closed, open or half_open: for status. */
    public String circuitState(String provider) {
        CircuitBreakerState state = CircuitBreakerMaintenance.get().currentState(circuitName(provider));
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isOpen(String provider) {
        return CircuitBreakerMaintenance.get().currentState(circuitName(provider)) == CircuitBreakerState.OPEN;
    }

    private <T> T guarded(ProviderPool provider, Supplier<T> attempt, Class<T> type) {
        try {
            return guards.get(provider.name()).get(attempt, type);
        } catch (Failed e) {
            return type.cast(e.result);
        } catch (CircuitBreakerOpenException e) {
            throw new CircuitOpen(provider.name());
        }
    }

    private static <T> T judge(ProviderPool provider, T result, Function<T, Outcome> outcomeOf) {
        Outcome outcome = outcomeOf.apply(result);
        if (retryable(provider, outcome)) {
            throw new Retryable(result);
        }
        if (countsAgainstCircuit(outcome)) {
            throw new Failed(result);
        }
        return result;
    }

    /**
     * Retried on the same account: a 5xx or a broken connection, or a rate limit that frees up within the retry's
     * longest delay. A timeout has spent its budget and a longer wait is better spent on another candidate.
     */
    static boolean retryable(ProviderPool provider, Outcome outcome) {
        if (outcome.kind() == Outcome.Kind.UPSTREAM_ERROR) {
            return !"timeout".equals(outcome.code());
        }
        if (outcome.kind() == Outcome.Kind.TRANSIENT && outcome.until() != null) {
            Duration wait = Duration.between(java.time.Instant.now(), outcome.until());
            return wait.compareTo(provider.guard().retryMaxDelay()) <= 0;
        }
        return false;
    }

    /** Only the provider's own failures open its circuit; quota answers and client errors say nothing of its health. */
    static boolean countsAgainstCircuit(Outcome outcome) {
        return outcome.kind() == Outcome.Kind.UPSTREAM_ERROR;
    }

    private static Guard build(ProviderPool provider) {
        GuardConfig config = provider.guard();
        return Guard.create()
                .withDescription("provider " + provider.name())
                .withRetry()
                    .maxRetries(Math.max(0, config.retries()))
                    .delay(config.retryDelay().toMillis(), ChronoUnit.MILLIS)
                    .maxDuration(provider.timeout().toMillis() * (config.retries() + 1) + 1000, ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS)
                    .retryOn(Retryable.class)
                    .withExponentialBackoff()
                        .factor(2)
                        .maxDelay(config.retryMaxDelay().toMillis(), ChronoUnit.MILLIS)
                        .done()
                    .done()
                .withCircuitBreaker()
                    .name(circuitName(provider.name()))
                    .failOn(java.util.List.of(Retryable.class, Failed.class))
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

    /** A failure worth retrying; carries the attempt's result so the last one can be reported. */
    static final class Retryable extends Failed {
        Retryable(Object result) {
            super(result);
        }
    }

    /** A failure that counts against the circuit; carries the attempt's result. */
    static class Failed extends RuntimeException {
        final transient Object result;

        Failed(Object result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    /** The provider's circuit is open: skip it without calling upstream. */
    public static final class CircuitOpen extends RuntimeException {
        public CircuitOpen(String provider) {
            super("circuit open for " + provider, null, false, false);
        }
    }
}
