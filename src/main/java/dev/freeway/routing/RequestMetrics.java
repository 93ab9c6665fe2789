package dev.freeway.routing;

import dev.freeway.provider.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Locale;

/**
 * What the request path reports to Prometheus ({@code /q/metrics}). Labels are provider, model, outcome, reason and
 * a named client's name only: never an account's key, and no request content.
 * <ul>
 *   <li>{@code freeway_upstream_requests_total{endpoint,provider,model,outcome}}: calls to a provider, by the front
 *       door of the request and how they ended
 *       (ok, exhausted, transient, upstream_error, credentials_rejected, context_too_long, content_filtered,
 *       client_error)</li>
 *   <li>{@code freeway_upstream_latency_seconds{provider,model,outcome}}: a histogram of those calls' time to the
 *       answer (to the first event for a stream), same-account retries included</li>
 *   <li>{@code freeway_fallbacks_total{provider,model,reason}}: a request moving on from a candidate, because the
 *       call failed (the outcome) or because quota refused the account before any call ({@code quota})</li>
 *   <li>{@code freeway_client_requests_total{client,outcome}} (served, refused) and
 *       {@code freeway_client_tokens_total{client,direction}}: each named client's requests and tokens served</li>
 * </ul>
 */
@ApplicationScoped
public class RequestMetrics {

    private static final Duration SHORTEST = Duration.ofMillis(5);
    private static final Duration LONGEST = Duration.ofMinutes(2);

    private final MeterRegistry registry;

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * A call to a provider for a request through {@code door} ended with this outcome after {@code elapsed}.
     *
     * @param movedOn whether the request then moved on from this account (a retry on the same one is no fallback)
     */
    public void called(Endpoint door, Candidate candidate, Outcome outcome, Duration elapsed, boolean movedOn) {
        String provider = candidate.provider().name();
        String model = model(candidate);
        String kind = outcome.kind().name().toLowerCase(Locale.ROOT);
        Counter.builder("freeway.upstream.requests").description("Calls to providers, by how they ended")
                .tags("endpoint", door.label(), "provider", provider, "model", model, "outcome", kind)
                .register(registry).increment();
        Timer.builder("freeway.upstream.latency").description("Time to a provider's answer (first event if streamed)")
                .tags("provider", provider, "model", model, "outcome", kind)
                .publishPercentileHistogram().minimumExpectedValue(SHORTEST).maximumExpectedValue(LONGEST)
                .register(registry).record(elapsed);
        if (movedOn) {
            fallback(provider, model, kind);
        }
    }

    /**
     * A served call's tokens, and their value at the model's list price, which free tiers do not charge: what the
     * pool was worth.
     */
    public void served(Candidate candidate, String account, dev.freeway.provider.Usage usage) {
        String provider = candidate.provider().name();
        String model = model(candidate);
        Counter.builder("freeway.tokens").description("Tokens served, by direction").tags("provider", provider,
                "model", model, "account", account, "direction", "input").register(registry)
                .increment(usage.promptTokens());
        Counter.builder("freeway.tokens").description("Tokens served, by direction").tags("provider", provider,
                "model", model, "account", account, "direction", "output").register(registry)
                .increment(usage.completionTokens());
        var price = candidate.spec() == null ? null : candidate.spec().price();
        if (price != null) {
            Counter.builder("freeway.value.usd").description("List-price value of the tokens served")
                    .tags("provider", provider, "model", model).register(registry)
                    .increment((usage.promptTokens() * price.inputPerMillion()
                            + usage.completionTokens() * price.outputPerMillion()) / 1_000_000);
        }
    }

    /**
     * A request a client was refused, counted under one of its reasons: {@code <reason>:<provider>}, or
     * {@code total:<answer kind>}, which is counted as provider {@code all} with the answer kind as its reason.
     */
    public void refused(String reason) {
        int colon = reason.indexOf(':');
        String what = reason.substring(0, colon);
        String who = reason.substring(colon + 1);
        boolean total = what.equals("total");
        Counter.builder("freeway.refusals").description("Requests clients were refused, by provider and reason")
                .tags("provider", total ? "all" : who, "reason", total ? who : what).register(registry).increment();
    }

    /**
     * A named client's request was served: one more served, and its tokens. The label is the client's name from
     * configuration, so the series are as few as the configured clients.
     */
    public void clientServed(String client, dev.freeway.provider.Usage usage) {
        clientRequest(client, "served");
        clientTokens(client, "input").increment(usage.promptTokens());
        clientTokens(client, "output").increment(usage.completionTokens());
    }

    /** A named client's request was refused after routing began. */
    public void clientRefused(String client) {
        clientRequest(client, "refused");
    }

    /** Every series of a named client at zero, so a dashboard's rate() has a start before its first request. */
    public void clientKnown(String client) {
        clientRequests(client, "served");
        clientRequests(client, "refused");
        clientTokens(client, "input");
        clientTokens(client, "output");
    }

    private void clientRequest(String client, String outcome) {
        clientRequests(client, outcome).increment();
    }

    private Counter clientRequests(String client, String outcome) {
        return Counter.builder("freeway.client.requests").description("Named clients' requests, served or refused")
                .tags("client", client, "outcome", outcome).register(registry);
    }

    private Counter clientTokens(String client, String direction) {
        return Counter.builder("freeway.client.tokens").description("Tokens served to named clients, by direction")
                .tags("client", client, "direction", direction).register(registry);
    }

    /** Quota refused an account before any call (a rule full, or parked): the request moves on. */
    public void quotaDenied(Candidate candidate) {
        fallback(candidate.provider().name(), model(candidate), "quota");
    }

    /**
     * A model's label: its id when the catalog lists it, else {@value #OTHER_MODEL}. A provider that serves any model
     * (OpenRouter, a local server) takes the id from the client, and one series per id a client made up would grow
     * the process's memory and every scrape without bound.
     */
    static String model(Candidate candidate) {
        return candidate.spec() == null ? OTHER_MODEL : candidate.model();
    }

    static final String OTHER_MODEL = "other";

    private void fallback(String provider, String model, String reason) {
        Counter.builder("freeway.fallbacks").description("Requests moving on from a candidate, and why")
                .tags("provider", provider, "model", model, "reason", reason).register(registry).increment();
    }
}
