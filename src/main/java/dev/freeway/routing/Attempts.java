package dev.freeway.routing;

import dev.freeway.config.Account;
import dev.freeway.provider.Outcome;
import dev.freeway.quota.ParkingKind;
import dev.freeway.quota.Refusal;
import dev.freeway.quota.Reservation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** The record of one request's way through its candidates, and the answer when none served it. */
final class Attempts {

    private final List<Skip> skipped;
    private int calls;
    private String neverFits;
    private boolean explicitOutput;

    Attempts(List<Skip> planned) {
        this.skipped = new ArrayList<>(planned);
    }

    /** The candidates the plan left out, before any was tried. */
    void planned(List<Skip> leftOut) {
        skipped.addAll(0, leftOut);
    }

    void called() {
        calls++;
    }

    int calls() {
        return calls;
    }

    List<Skip> skipped() {
        return List.copyOf(skipped);
    }

    void skip(Candidate candidate, Account account, Skip.Why why, String reason, Instant until) {
        skipped.add(new Skip(candidate.label(), account == null ? null : account.id(), why, reason, until));
    }

    /** An account the quota engine would not admit: a rule full, a call too large for it, or parked. */
    void denied(Candidate candidate, Account account, Reservation.Denial denial, Estimate estimate) {
        if (denial.refusal() == Refusal.NEVER_FITS) {
            String reason = denial.needed() == 0 ? "grant " + denial.rule() + " is over"
                    : "needs " + denial.needed() + " of rule " + denial.rule() + ", whose whole limit is "
                    + denial.limit();
            if (neverFits == null && denial.needed() > 0) {
                neverFits = candidate.label() + " (" + reason + ")";
                explicitOutput = estimate.explicit();
            }
            skip(candidate, account, Skip.Why.NEVER_FITS, "never fits: " + reason, null);
        } else if (denial.refusal() == Refusal.PARKED) {
            boolean keyRefused = denial.parking().kind() == ParkingKind.CREDENTIALS_REJECTED;
            skip(candidate, account, keyRefused ? Skip.Why.KEY_REFUSED : Skip.Why.PARKED, denial.rule(),
                    keyRefused ? null : denial.retryAt());
        } else {
            skip(candidate, account, Skip.Why.NO_ROOM, "no room: " + denial.rule(), denial.retryAt());
        }
    }

    /**
     * @param parkedUntil until when the failure parked the account or model (the provider's time, or Freeway's
     *                    reckoning when it gave none: the window's reset, a day for a spent grant); null for none
     */
    void failed(Candidate candidate, Account account, Outcome outcome, Instant parkedUntil) {
        Skip.Why why = switch (outcome.kind()) {
            case EXHAUSTED -> Skip.Why.EXHAUSTED;
            case TRANSIENT -> Skip.Why.RATE_LIMITED;
            case CREDENTIALS_REJECTED -> Skip.Why.KEY_REFUSED;
            case CONTEXT_TOO_LONG -> Skip.Why.CONTEXT_TOO_LONG;
            default -> "timeout".equals(outcome.code()) ? Skip.Why.TIMED_OUT : Skip.Why.FAILED;
        };
        skip(candidate, account, why, outcome.kind().name().toLowerCase(java.util.Locale.ROOT) + ": "
                + outcome.reason(), !why.freesUp() ? null : outcome.until() != null ? outcome.until() : parkedUntil);
    }

    /**
     * The answer for a request no candidate served: 429 with the earliest moment a candidate has room again when
     * waiting can help; 502 or 504 when candidates failed upstream; 503 naming the accounts when every key was
     * refused; 400 naming the rule when no candidate could ever admit the request; 400 context_length_exceeded when
     * the providers said the prompt does not fit and no larger window was left; 503 when nothing could be tried.
     */
    RouteFailure noneServed(Instant now) {
        List<Skip> tried = skipped.stream().filter(s -> s.why() != Skip.Why.UNFIT).toList();
        List<Skip> freeing = tried.stream().filter(s -> s.why().freesUp()).toList();
        if (!freeing.isEmpty()) {
            // no time known: when every one is a grant Freeway counted spent (the only room with no time), it is
            // looked at again daily, as a grant the provider says is spent is parked; anything else in a minute
            boolean spentGrants = freeing.stream().allMatch(s -> s.why() == Skip.Why.NO_ROOM && s.until() == null);
            Instant retryAt = freeing.stream().map(Skip::until).filter(Objects::nonNull).filter(t -> t.isAfter(now))
                    .min(Comparator.naturalOrder())
                    .orElse(spentGrants ? now.plus(java.time.Duration.ofDays(1)) : now.plusSeconds(60));
            return new RouteFailure(RouteFailure.Kind.EXHAUSTED, "Every candidate for this request is out of quota or"
                    + " rate-limited; the earliest has room again at " + retryAt + ".", "rate_limit_exceeded", 429,
                    retryAt, skipped);
        }
        boolean timedOut = has(tried, Skip.Why.TIMED_OUT);
        if (timedOut || has(tried, Skip.Why.FAILED)) {
            return new RouteFailure(timedOut ? RouteFailure.Kind.UPSTREAM_TIMEOUT : RouteFailure.Kind.UPSTREAM_FAILED,
                    "Every candidate for this request failed upstream" + (timedOut ? " or timed out" : "") + ".",
                    timedOut ? "upstream_timeout" : "upstream_error", timedOut ? 504 : 502, null, skipped);
        }
        if (has(tried, Skip.Why.KEY_REFUSED)) {
            List<String> accounts = tried.stream().filter(s -> s.why() == Skip.Why.KEY_REFUSED)
                    .map(s -> s.candidate().substring(0, s.candidate().indexOf('/')) + "/" + s.account())
                    .distinct().toList();
            return new RouteFailure(RouteFailure.Kind.CREDENTIALS_REJECTED, "The providers refused the keys of "
                    + String.join(", ", accounts) + "; fix them in Freeway's configuration (keys are re-tried 15"
                    + " minutes after a refusal).", "credentials_rejected", 503, null, skipped);
        }
        if (neverFits != null) {
            return new RouteFailure(RouteFailure.Kind.NEVER_FITS, "This request can never fit the limits of any"
                    + " candidate: " + neverFits + ". " + (explicitOutput ? "Lower max_tokens or shorten the prompt."
                    : "Shorten the prompt."), "exceeds_limit", 400, null, skipped)
                    .param(explicitOutput ? "max_tokens" : "messages");
        }
        if (has(tried, Skip.Why.CONTEXT_TOO_LONG)) {
            // the providers said the prompt is too long, and no larger window was left: the client's to shorten
            return new RouteFailure(RouteFailure.Kind.CLIENT_ERROR, "The prompt is longer than the context window of"
                    + " every candidate that could be tried (see candidates); shorten it.", "context_length_exceeded",
                    400, null, skipped).param("messages");
        }
        boolean circuits = has(tried, Skip.Why.CIRCUIT_OPEN) || has(skipped, Skip.Why.CIRCUIT_OPEN);
        return new RouteFailure(circuits ? RouteFailure.Kind.UNAVAILABLE : RouteFailure.Kind.NO_CANDIDATE,
                "No candidate could be tried for this request (see candidates).", circuits ? "circuit_open"
                : "no_candidate", 503, null, skipped);
    }

    private static boolean has(List<Skip> skips, Skip.Why why) {
        return skips.stream().anyMatch(s -> s.why() == why);
    }
}
