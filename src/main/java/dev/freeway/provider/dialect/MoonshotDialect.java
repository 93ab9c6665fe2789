package dev.freeway.provider.dialect;

import dev.freeway.provider.Outcome;
import dev.freeway.provider.Outcome.Kind;
import dev.freeway.provider.Outcome.Scope;

/**
 * Moonshot Kimi. Errors are {@code {"error":{"message","type"}}} and the type decides. Limits are per organization
 * and shared across models, so a rate limit or an empty balance holds the whole account.
 */
public final class MoonshotDialect extends OpenAiDialect {

    @Override
    Outcome family(Failure f) {
        String type = f.error().type();
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "rate_limit_reached_error" -> f.outcome(Kind.TRANSIENT, "the organization's rate limit was reached")
                    .scope(Scope.ACCOUNT).until(f.namedWait().orElse(null));
            case "engine_overloaded_error" -> f.outcome(Kind.TRANSIENT, "the Kimi engine is overloaded")
                    .until(f.retryAfter().orElse(null));
            case "exceeded_current_quota_error" -> f.outcome(Kind.EXHAUSTED, "the account's balance is used up")
                    .window("credits").scope(Scope.ACCOUNT);
            case "incorrect_api_key_error", "invalid_authentication_error" ->
                    f.outcome(Kind.CREDENTIALS_REJECTED, "Moonshot rejected the key");
            case "content_filter" -> f.outcome(Kind.CONTENT_FILTERED, "Moonshot's moderation refused the content");
            case "resource_not_found_error" -> f.outcome(Kind.CLIENT_ERROR, "Moonshot does not have this resource");
            default -> null;
        };
    }
}
