package dev.freeway.routing;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.catalog.ProviderSpec;
import dev.freeway.config.Account;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.RateLimitReport;
import dev.freeway.provider.Usage;
import dev.freeway.quota.CreditPrice;
import dev.freeway.quota.QuotaStore;
import dev.freeway.quota.QuotaUnavailableException;
import dev.freeway.quota.ReportedRemaining;
import dev.freeway.quota.Reservation;
import dev.freeway.quota.UsageCounts;
import dev.freeway.quota.UsageLedger;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where routing meets the quota engine: reserve before a call, settle or release after it, park on the provider's
 * word, correct counters with what the provider reports, and say what is left in OpenAI's x-ratelimit-* headers.
 */
@ApplicationScoped
public class QuotaGate {

    private static final Logger LOG = Logger.getLogger(QuotaGate.class);
    /** A refused key stays parked this long, so a fixed key is picked up without a restart. */
    static final Duration CREDENTIALS_PARKING = Duration.ofMinutes(15);
    /** When a provider says "limited" but not until when. */
    static final Duration UNKNOWN_WAIT = Duration.ofSeconds(30);

    private final QuotaStore store;
    private final UsageLedger ledger;
    private final Clock clock;

    public QuotaGate(QuotaStore store, UsageLedger ledger, Clock clock) {
        this.store = store;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** One round trip: every rule of the account and model, parking included. */
    public Reservation reserve(Candidate candidate, Account account, RouteRequest request) {
        ProviderSpec spec = candidate.provider().spec();
        var quotaRequest = new QuotaStore.QuotaRequest(account.quotaId(), candidate.model(),
                account.rulesFor(spec, candidate.model()), spec.resetZone(), request.promptTokens(),
                request.outputTokens());
        try {
            return store.reserve(quotaRequest, price(candidate.spec()));
        } catch (QuotaUnavailableException e) {
            throw new RouteFailure(RouteFailure.Kind.UNAVAILABLE, "Freeway cannot reach its quota store (Redis), and"
                    + " it is configured to refuse calls it cannot count (freeway.quota.redis-failure-mode=fail-closed)."
                    + " Try again shortly.", "quota_store_unavailable", 503, null, List.of());
        }
    }

    /** After a served call: actual usage replaces the estimate, and the provider's own figures correct counters. */
    public void settle(Reservation reservation, Usage usage, RateLimitReport report) {
        store.settle(reservation, usage.promptTokens(), usage.completionTokens(), reported(report));
    }

    /**
     * After a call that did not serve: undo what the provider never processed, count what it may have, park where it
     * said to wait, and note the failure in the ledger.
     */
    public void failed(Reservation reservation, Candidate candidate, Account account, Outcome outcome,
                       boolean reached, RateLimitReport report) {
        if (reached && outcome.kind() == Outcome.Kind.UPSTREAM_ERROR) {
            // the provider may have done (and counted) the work before failing: keep the request, no tokens
            store.settle(reservation, 0, 0);
        } else {
            store.release(reservation);
        }
        park(reservation.account(), candidate, outcome);
        if (!report.isEmpty()) {
            ProviderSpec spec = candidate.provider().spec();
            store.correct(reservation.account(), candidate.model(), account.rulesFor(spec, candidate.model()),
                    spec.resetZone(), reported(report));
        }
        ledger.record(reservation.account(), candidate.model(), outcome.kind().movesOn()
                ? UsageCounts.fallback() : UsageCounts.error());
    }

    /** Releases a reservation whose call never started (an open circuit). */
    public void release(Reservation reservation) {
        store.release(reservation);
    }

    private void park(String account, Candidate candidate, Outcome outcome) {
        Instant until = switch (outcome.kind()) {
            case EXHAUSTED -> outcome.until() != null ? outcome.until() : exhaustedUntil(candidate, outcome);
            case TRANSIENT -> outcome.until() != null ? outcome.until() : clock.instant().plus(UNKNOWN_WAIT);
            case CREDENTIALS_REJECTED -> clock.instant().plus(CREDENTIALS_PARKING);
            default -> null;
        };
        if (until == null || !until.isAfter(clock.instant())) {
            return;
        }
        boolean wholeAccount = outcome.scope() == Outcome.Scope.ACCOUNT
                || outcome.kind() == Outcome.Kind.CREDENTIALS_REJECTED;
        String reason = outcome.kind() == Outcome.Kind.CREDENTIALS_REJECTED
                ? "credentials rejected: " + outcome.reason()
                : outcome.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + outcome.reason();
        store.park(account, wholeAccount ? null : candidate.model(), until, reason);
        LOG.infof("Parked %s%s until %s: %s", account, wholeAccount ? "" : " " + candidate.model(), until, reason);
    }

    /** A window ran out and the provider did not say until when: its calendar reset in the provider's zone. */
    private Instant exhaustedUntil(Candidate candidate, Outcome outcome) {
        ZonedDateTime now = clock.instant().atZone(candidate.provider().spec().resetZone());
        String window = outcome.window() == null ? "" : outcome.window();
        return switch (window) {
            case "minute" -> now.plusMinutes(1).withSecond(0).withNano(0).toInstant();
            case "hour" -> now.plusHours(1).withMinute(0).withSecond(0).withNano(0).toInstant();
            case "month" -> now.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(now.getZone()).toInstant();
            case "day" -> now.toLocalDate().plusDays(1).atStartOfDay(now.getZone()).toInstant();
            // a spent grant or credit balance does not come back by itself: look again daily
            default -> now.plusDays(1).toInstant();
        };
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

    private static List<ReportedRemaining> reported(RateLimitReport report) {
        List<ReportedRemaining> reported = new ArrayList<>();
        LimitRule.Window requests = window(report.requestsWindow());
        if (report.remainingRequests() != null && requests != null) {
            reported.add(new ReportedRemaining(LimitRule.Metric.REQUESTS, requests,
                    Math.max(0, report.remainingRequests())));
        }
        LimitRule.Window tokens = window(report.tokensWindow());
        if (report.remainingTokens() != null && tokens != null) {
            reported.add(new ReportedRemaining(LimitRule.Metric.TOKENS, tokens, Math.max(0, report.remainingTokens())));
        }
        return reported;
    }

    private static LimitRule.Window window(String name) {
        if (name == null) {
            return null;
        }
        try {
            return LimitRule.Window.parse(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static CreditPrice price(ModelSpec spec) {
        return spec == null || spec.price() == null ? CreditPrice.NONE
                : new CreditPrice(spec.price().inputPerMillion(), spec.price().outputPerMillion());
    }
}
