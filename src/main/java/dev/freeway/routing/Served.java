package dev.freeway.routing;

import dev.freeway.config.Account;
import dev.freeway.provider.Completion;

import java.util.List;

/**
 * A non-streaming request that a candidate served.
 *
 * @param candidate  what served it
 * @param account    which account
 * @param attempts   upstream calls made, this one included
 * @param completion the provider's answer
 * @param skipped    candidates tried before, and why they did not serve
 * @param headers    rate-limit headers for the serving account (x-ratelimit-*)
 */
public record Served(Candidate candidate, Account account, int attempts, Completion completion, List<Skip> skipped,
                     java.util.Map<String, String> headers) {
}
