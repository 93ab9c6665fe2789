package dev.freeway.routing;

import java.time.Instant;

/**
 * Why a candidate (and account) did not serve a request.
 *
 * @param candidate provider/model
 * @param account   the account id, or null when the whole candidate was skipped
 * @param reason    one line, never a key
 * @param until     when it has room again, when known
 */
public record Skip(String candidate, String account, String reason, Instant until) {
}
