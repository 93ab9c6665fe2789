package dev.freeway.provider.dialect;

import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.catalog.Windows;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;

import java.time.ZoneOffset;

/**
 * Cloudflare Workers AI. Errors are {@code {"errors":[{"code":3036,"message":...}],"success":false}} with an
 * internal code; the daily neuron allocation is per account and resets at 00:00 UTC.
 */
public final class CloudflareDialect extends OpenAiDialect {

    @Override
    Outcome family(Failure f) {
        ErrorEnvelope error = f.error();
        int code = error.numericCode();
        if (code == 3036 || error.says("daily free allocation")) {
            return f.outcome(Kind.EXHAUSTED, "the account's daily neuron allocation is used up until 00:00 UTC")
                    .window("day").scope(Scope.ACCOUNT).until(Windows.nextReset(Window.DAY, ZoneOffset.UTC, f.now()));
        }
        if (code == 3040) {
            return f.outcome(Kind.TRANSIENT, "Workers AI is out of capacity for this model (3040)")
                    .until(f.namedWait().orElse(null));
        }
        if (code == 3006 || f.status() == 413) {
            return f.outcome(Kind.CLIENT_ERROR, "the request is larger than Workers AI accepts (3006)");
        }
        if (code == 3007 || f.status() == 408) {
            return f.outcome(Kind.TRANSIENT, "Workers AI timed out (3007)").until(f.namedWait().orElse(null));
        }
        return null;
    }
}
