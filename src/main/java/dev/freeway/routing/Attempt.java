package dev.freeway.routing;

import dev.freeway.catalog.LimitRule;
import dev.freeway.config.Account;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.RateLimitReport;
import dev.freeway.provider.Reply;
import dev.freeway.provider.Usage;
import dev.freeway.quota.Admission;
import dev.freeway.quota.ParkingKind;
import dev.freeway.quota.QuotaStore;
import dev.freeway.quota.ReportedRemaining;
import dev.freeway.quota.Reservation;
import dev.freeway.quota.Spent;
import dev.freeway.catalog.Windows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One upstream call and the reservation that admitted it: routing's side of the {@link Admission}, which it ends
 * exactly once. It turns what the provider answered into the quota engine's terms: what was used (reported, or
 * counted by Freeway when the provider reported nothing), whether the provider counts a failed call, where to park
 * and for how long, and what the provider's headers said is left.
 */
final class Attempt {

    /** A refused key stays parked this long, so a fixed key is picked up without a restart. */
    static final Duration CREDENTIALS_PARKING = Duration.ofMinutes(15);
    /** When a provider says "limited" but not until when. */
    static final Duration UNKNOWN_WAIT = Duration.ofSeconds(30);

    private final Candidate candidate;
    private final Account account;
    private final Reservation reservation;
    private final Estimate estimate;
    private Recorder recorder = (attempt, usage, estimated, ending, answer, answeredIn) -> null;

    /** What a served attempt leaves for the operator and for its provider's strategy, made when it settles. */
    @FunctionalInterface
    interface Recorder {
        /**
         * @param answeredIn the time to the provider's answer, or to a stream's first event
         * @return the trail to write with the settlement, or null for none
         */
        dev.freeway.quota.Trail trail(Attempt attempt, Usage usage, boolean estimated, String ending, String answer,
                                      Duration answeredIn);
    }

    Attempt(Candidate candidate, Account account, Reservation reservation, Estimate estimate) {
        this.candidate = candidate;
        this.account = account;
        this.reservation = reservation;
        this.estimate = estimate;
    }

    Candidate candidate() {
        return candidate;
    }

    Account account() {
        return account;
    }

    Reservation reservation() {
        return reservation;
    }

    Estimate estimate() {
        return estimate;
    }

    /** Who makes this attempt's trail when it is served. */
    void recordWith(Recorder which) {
        this.recorder = which;
    }

    /**
     * The call served ({@code reply} says what the provider reported of its limits, and how soon it answered): settle
     * to the usage the provider reported, or, when it reported none, to the prompt's estimate
     * and Freeway's own count of the output it relayed (marked as estimated in the ledger).
     */
    void served(Usage reported, long countedOutput, Reply reply, String ending, String answer) {
        Usage settled = settledTo(reported, countedOutput);
        Spent spent = new Spent(settled.promptTokens(), settled.completionTokens(), reported == null);
        reservation.admission().served(spent, reported(reply.report()),
                recorder.trail(this, settled, spent.estimated(), ending, answer, reply.latency())).join();
    }

    /** What a served call is settled to: the usage the provider reported, else the prompt's estimate and the count. */
    Usage settledTo(Usage reported, long countedOutput) {
        return reported != null ? reported : new Usage(estimate.prompt(), countedOutput);
    }

    /**
     * The call did not serve. The request stays counted where the provider counts it: a call that reached it and
     * failed upstream (it may have done the work), or any call it answered at a provider that counts failed calls.
     *
     * @param movedOn whether the request now moves on to another account or candidate (else it is retried here, or
     *                answered with this error)
     * @return until when the account (or its model) is parked for it; null when it is not
     */
    Instant failed(Outcome outcome, Reply reply, Instant now, boolean movedOn) {
        boolean counted = reply.reached() && (outcome.kind() == Outcome.Kind.UPSTREAM_ERROR
                || candidate.provider().spec().countsFailedCalls() && reply.answer().status() > 0);
        boolean wholeAccount = outcome.scope() == Outcome.Scope.ACCOUNT
                || outcome.kind() == Outcome.Kind.CREDENTIALS_REJECTED;
        QuotaStore.Parking parking = parking(outcome, now);
        // a completion broken off after the work (finish_reason error) may say what it used: that is counted
        Spent spent = counted && reply.usage() != null
                ? Spent.reported(reply.usage().promptTokens(), reply.usage().completionTokens()) : Spent.NOTHING;
        reservation.admission().failed(new Admission.Failure(counted, spent, parking, wholeAccount,
                reported(reply.report()), movedOn)).join();
        return parking == null ? null : parking.until();
    }

    /** Freeway itself failed while making the call: it may have been sent, so it stays counted. */
    void failedInFreeway() {
        reservation.admission().failed(new Admission.Failure(true, Spent.NOTHING, null, false, List.of(), false))
                .join();
    }

    /** The call was never made (an open circuit): nothing of it stays counted. */
    void released() {
        reservation.admission().released().join();
    }

    /** The call still runs (a stream): its reservation lives on past a lease (see {@link Admission#keepAlive()}). */
    void keepAlive() {
        reservation.admission().keepAlive();
    }

    boolean ended() {
        return reservation.admission().ended();
    }

    /** Where the provider said to wait, for how long and why; null when it did not. */
    private QuotaStore.Parking parking(Outcome outcome, Instant now) {
        ParkingKind kind;
        Instant until;
        switch (outcome.kind()) {
            case EXHAUSTED -> {
                kind = ParkingKind.EXHAUSTED;
                // a spent quota whose named wait is already over (Retry-After: 0, a reset in the past) still is
                // spent: parked as if no wait were named, not called again at once
                until = outcome.until() != null && outcome.until().isAfter(now) ? outcome.until()
                        : exhaustedUntil(outcome, now);
            }
            case TRANSIENT -> {
                kind = ParkingKind.RATE_LIMITED;
                until = outcome.until() != null ? outcome.until() : now.plus(UNKNOWN_WAIT);
            }
            case CREDENTIALS_REJECTED -> {
                kind = ParkingKind.CREDENTIALS_REJECTED;
                until = now.plus(CREDENTIALS_PARKING);
            }
            default -> {
                return null;
            }
        }
        if (until == null || !until.isAfter(now)) {
            return null;
        }
        String prefix = kind == ParkingKind.CREDENTIALS_REJECTED ? "credentials rejected: " : kind.key() + ": ";
        return new QuotaStore.Parking(until, prefix + outcome.reason(), kind);
    }

    /** A window ran out and the provider did not say until when: its calendar reset in the provider's zone. */
    private Instant exhaustedUntil(Outcome outcome, Instant now) {
        LimitRule.Window window;
        try {
            window = outcome.window() == null ? null : LimitRule.Window.parse(outcome.window());
        } catch (IllegalArgumentException unknown) {
            window = null;
        }
        if (window == null || window == LimitRule.Window.GRANT || window == LimitRule.Window.ROLLING
                || window == LimitRule.Window.NONE) {
            // a spent grant or credit balance does not come back by itself: look again daily
            return now.plus(Duration.ofDays(1));
        }
        return Windows.span(window, candidate.provider().spec().resetZone(), now).end();
    }

    /** What the provider's headers said is left, in the quota engine's terms. */
    static List<ReportedRemaining> reported(RateLimitReport report) {
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
}
