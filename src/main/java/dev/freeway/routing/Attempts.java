package dev.freeway.routing;

import dev.freeway.config.Account;
import dev.freeway.provider.Outcome;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** The record of one request's way through its candidates, and the answer when none served it. */
final class Attempts {

    private final List<Skip> skipped;
    private final List<Outcome> outcomes = new ArrayList<>();
    private int calls;
    private boolean quotaDenied;

    Attempts(List<Skip> planned) {
        this.skipped = new ArrayList<>(planned);
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

    void skip(Candidate candidate, Account account, String reason, Instant until) {
        skipped.add(new Skip(candidate.label(), account == null ? null : account.id(), reason, until));
    }

    /** An account the quota engine would not admit (a rule is full, or it is parked). */
    void denied(Candidate candidate, Account account, String reason, Instant until) {
        quotaDenied = true;
        skip(candidate, account, reason, until);
    }

    void failed(Candidate candidate, Account account, Outcome outcome) {
        outcomes.add(outcome);
        skip(candidate, account, outcome.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + outcome.reason(),
                outcome.until());
    }

    /** The answer for a request no candidate could serve. */
    RouteFailure noneServed(Instant now) {
        boolean limited = quotaDenied || outcomes.stream().anyMatch(o ->
                o.kind() == Outcome.Kind.EXHAUSTED || o.kind() == Outcome.Kind.TRANSIENT);
        if (limited) {
            Instant retryAt = skipped.stream().map(Skip::until).filter(Objects::nonNull)
                    .filter(t -> t.isAfter(now)).min(Comparator.naturalOrder()).orElse(now.plusSeconds(60));
            return new RouteFailure(RouteFailure.Kind.EXHAUSTED, "Every candidate for this request is out of quota or"
                    + " rate-limited; the earliest has room again at " + retryAt + ".", "rate_limit_exceeded", 429,
                    retryAt, skipped);
        }
        if (outcomes.isEmpty()) {
            return new RouteFailure(RouteFailure.Kind.UNAVAILABLE, "No candidate could be tried for this request"
                    + " (see candidates).", "no_candidate", 503, null, skipped);
        }
        boolean timedOut = outcomes.stream().anyMatch(o -> "timeout".equals(o.code()));
        return new RouteFailure(timedOut ? RouteFailure.Kind.UPSTREAM_TIMEOUT : RouteFailure.Kind.UPSTREAM_FAILED,
                "Every candidate for this request failed upstream" + (timedOut ? " or timed out" : "") + ".",
                timedOut ? "upstream_timeout" : "upstream_error", timedOut ? 504 : 502, null, skipped);
    }
}
