package dev.freeway.routing;

import dev.freeway.config.Account;
import dev.freeway.provider.StreamStart;
import dev.freeway.provider.Usage;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A stream a candidate has started to serve: its first event is in hand and nothing has reached the client yet.
 *
 * @param onEnd called once with the usage the stream reported when it ends, however it ends
 */
public record ServedStream(Candidate candidate, Account account, int attempts, StreamStart start,
                           boolean clientWantsUsage, List<Skip> skipped, Map<String, String> headers,
                           Consumer<Usage> onEnd) {
}
