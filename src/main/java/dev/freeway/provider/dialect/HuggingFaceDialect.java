package dev.freeway.provider.dialect;

import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.catalog.Windows;
import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;

import java.time.ZoneOffset;

/**
 * Hugging Face Inference Providers (router). Free and PRO accounts get monthly credits; running out is a 402 whose
 * {@code error} is a plain string.
 */
public final class HuggingFaceDialect extends OpenAiDialect {

    @Override
    Outcome family(Failure f) {
        if (f.status() == 402 && f.error().says("monthly included credits")) {
            // Hugging Face says the credits are granted monthly but documents neither the day nor the zone;
            // the first of the next month at 00:00 UTC is assumed. Coming back too early only costs one more 402.
            return f.outcome(Kind.EXHAUSTED, "the account's monthly included credits are used up")
                    .window("month").scope(Scope.ACCOUNT)
                    .until(Windows.nextReset(Window.MONTH, ZoneOffset.UTC, f.now()));
        }
        return null;
    }
}
