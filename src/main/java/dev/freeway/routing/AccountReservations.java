package dev.freeway.routing;

import dev.freeway.catalog.ModelSpec;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.config.Account;
import dev.freeway.quota.CreditPrice;
import dev.freeway.quota.QuotaStore;
import dev.freeway.quota.QuotaUnavailableException;
import dev.freeway.quota.Reservation;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where routing meets the quota engine before a call: one reserve round trip for every rule of the account and
 * model, parking included, and OpenAI's x-ratelimit-* headers from what it says is left. Ending the reservation is
 * the {@link Attempt}'s.
 */
@ApplicationScoped
public class AccountReservations {

    private final QuotaStore store;
    private final Clock clock;

    public AccountReservations(QuotaStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Reserves the estimate on this account.
     *
     * @throws RouteFailure (503) when Redis cannot be reached and the store is fail-closed
     */
    Reservation reserve(Candidate candidate, Account account, Estimate estimate) {
        ProviderSpec spec = candidate.provider().spec();
        var quotaRequest = new QuotaStore.QuotaRequest(account.quotaId(), candidate.model(),
                account.rulesFor(spec, candidate.model()), spec.resetZone(), estimate.prompt(), estimate.perChoice(),
                estimate.least(), estimate.choices());
        try {
            return store.reserve(quotaRequest, price(candidate.spec()));
        } catch (QuotaUnavailableException e) {
            throw storeAway(e);
        }
    }

    /** The 503 of a fail-closed store; the store's own failure is its cause, for the log. */
    private static RouteFailure storeAway(QuotaUnavailableException e) {
        return new RouteFailure(RouteFailure.Kind.UNAVAILABLE, "Freeway cannot reach its quota store (Redis), and it"
                + " is configured to refuse calls it cannot count (freeway.quota.redis-failure-mode=fail-closed). Try"
                + " again shortly.", "quota_store_unavailable", 503, null, List.of(), e);
    }

    /**
     * Reserves a request on its client's own rules, once for the request and before any account is tried: in the
     * client's own keys, so the client's limit holds across every account, and no client over it reaches one.
     *
     * @return the client's admission, to end when the request ends
     * @throws RouteFailure 429 (the client's own window, with when it has room again) or 400 (it never fits), or 503
     *                      when Redis cannot be reached and the store is fail-closed
     */
    dev.freeway.quota.Admission reserve(ClientScope client, Estimate estimate) {
        var quotaRequest = new QuotaStore.QuotaRequest(client.quotaId(), "all", client.rules(),
                java.time.ZoneOffset.UTC, estimate.prompt(), estimate.perChoice(), estimate.perChoice(),
                estimate.choices());
        Reservation reservation;
        try {
            reservation = store.reserve(quotaRequest, CreditPrice.NONE);
        } catch (QuotaUnavailableException e) {
            throw storeAway(e);
        }
        if (reservation.admitted()) {
            return reservation.admission();
        }
        Reservation.Denial denial = reservation.denial();
        if (denial.refusal() == dev.freeway.quota.Refusal.NEVER_FITS) {
            throw new RouteFailure(RouteFailure.Kind.NEVER_FITS, "This request can never fit client " + client.name()
                    + "'s own limit: it needs " + denial.needed() + " of rule " + denial.rule() + ", whose whole limit"
                    + " is " + denial.limit() + ".", "exceeds_limit", 400, null, List.of()).param("max_tokens");
        }
        Instant retryAt = denial.retryAt() == null ? clock.instant().plusSeconds(60) : denial.retryAt();
        throw new RouteFailure(RouteFailure.Kind.EXHAUSTED, "Client " + client.name() + " is over its own limit ("
                + denial.rule() + "); it has room again at " + retryAt + ". The pool's other clients are not affected.",
                "client_limit_exceeded", 429, retryAt, List.of());
    }

    /** OpenAI's x-ratelimit-* headers for the serving account. */
    public static Map<String, String> headers(Reservation reservation, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        Reservation.Remaining remaining = reservation.remaining();
        if (remaining == null) {
            return headers;
        }
        if (remaining.requests() != null) {
            headers.put("x-ratelimit-remaining-requests", String.valueOf(remaining.requests()));
        }
        if (remaining.requestsReset() != null) {
            headers.put("x-ratelimit-reset-requests", duration(now, remaining.requestsReset()));
        }
        if (remaining.tokens() != null) {
            headers.put("x-ratelimit-remaining-tokens", String.valueOf(remaining.tokens()));
        }
        if (remaining.tokensReset() != null) {
            headers.put("x-ratelimit-reset-tokens", duration(now, remaining.tokensReset()));
        }
        return headers;
    }

    /** OpenAI writes resets as durations like 6m0s or 1.5s. */
    static String duration(Instant now, Instant then) {
        long millis = Math.max(0, Duration.between(now, then).toMillis());
        long hours = millis / 3_600_000;
        long minutes = millis / 60_000 % 60;
        double seconds = millis % 60_000 / 1000.0;
        StringBuilder text = new StringBuilder();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append('m');
        }
        text.append(seconds == Math.floor(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds))
                .append('s');
        return text.toString();
    }

    private static CreditPrice price(ModelSpec spec) {
        return spec == null || spec.price() == null ? CreditPrice.NONE
                : new CreditPrice(spec.price().inputPerMillion(), spec.price().outputPerMillion());
    }
}
