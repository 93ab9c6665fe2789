package dev.freeway.provider.dialect;

import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;

import java.time.Duration;
import java.util.Objects;

/**
 * Alibaba Model Studio (DashScope), compatible mode and native API. Codes arrive as {@code error.code} (compatible
 * mode) or a top-level {@code code} (native), with native names such as {@code Throttling.RateQuota}. RPM/TPM limits
 * are per model per account and "recover within one minute"; the free grant is per model and never renews.
 */
public final class DashScopeDialect extends OpenAiDialect {

    /** Wait after an RPM/TPM limit: the limits slide over one minute. */
    public static final Duration DEFAULT_MINUTE_WAIT = Duration.ofSeconds(60);
    /** Wait after a burst limit: only the per-second rate was exceeded. */
    public static final Duration DEFAULT_BURST_WAIT = Duration.ofSeconds(5);

    private final Duration minuteWait;
    private final Duration burstWait;

    public DashScopeDialect() {
        this(DEFAULT_MINUTE_WAIT, DEFAULT_BURST_WAIT);
    }

    /**
     * @param minuteWait how long an RPM or TPM limit keeps the model aside
     * @param burstWait  how long a burst limit keeps the model aside
     */
    public DashScopeDialect(Duration minuteWait, Duration burstWait) {
        this.minuteWait = Objects.requireNonNull(minuteWait, "minuteWait");
        this.burstWait = Objects.requireNonNull(burstWait, "burstWait");
    }

    @Override
    Outcome family(Failure f) {
        ErrorEnvelope error = f.error();
        if (error.says("Free allocated quota exceeded")) {
            // Models without pay-as-you-go: the one-time grant is gone and will not come back.
            return f.outcome(Kind.EXHAUSTED, "the free grant for this model is used up and does not renew")
                    .window("grant").scope(Scope.MODEL);
        }
        if (error.codeIs("AllocationQuota.FreeTierOnly")) {
            return f.outcome(Kind.EXHAUSTED, "the free grant for this model is used up (free-tier-only mode)")
                    .window("grant").scope(Scope.MODEL);
        }
        if (error.codeIs("Arrearage")) {
            return f.outcome(Kind.EXHAUSTED, "the account is in arrears").window("credits").scope(Scope.ACCOUNT);
        }
        if (error.codeIs("data_inspection_failed", "DataInspectionFailed") || error.typeIs("data_inspection_failed")) {
            return f.outcome(Kind.CONTENT_FILTERED, "DashScope's content inspection refused the content");
        }
        if (error.codeIs("limit_requests", "Throttling.RateQuota")) {
            return f.outcome(Kind.TRANSIENT, "requests per minute reached for this model")
                    .window("minute").scope(Scope.MODEL).until(f.namedWaitOr(minuteWait));
        }
        if (error.codeIs("insufficient_quota", "Throttling.AllocationQuota")) {
            return f.outcome(Kind.TRANSIENT, "tokens per minute reached for this model")
                    .window("minute").scope(Scope.MODEL).until(f.namedWaitOr(minuteWait));
        }
        if (error.codeIs("limit_burst_rate", "Throttling.BurstRate")) {
            return f.outcome(Kind.TRANSIENT, "requests ramped up too fast for this model")
                    .scope(Scope.MODEL).until(f.namedWaitOr(burstWait));
        }
        return null;
    }
}
