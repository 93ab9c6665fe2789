package dev.freeway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.config.Account;
import dev.freeway.provider.Reply;
import dev.freeway.provider.Usage;

import java.util.Map;

/**
 * A request a candidate served, read the same way for a completion and a stream: what served it, how many upstream
 * calls it took, the rate-limit headers of the serving account, and then either the completion (its attempt already
 * settled) or the started stream, whose {@link StreamRelay} ends the attempt when the stream ends.
 */
public final class Served {

    private final Attempt attempt;
    private final int attempts;
    private final Map<String, String> headers;
    private final Reply reply;
    private final StreamRelay relay;
    private final Usage settled;

    Served(Attempt attempt, int attempts, Map<String, String> headers, Reply reply, StreamRelay relay, Usage settled) {
        this.attempt = attempt;
        this.attempts = attempts;
        this.headers = headers;
        this.reply = reply;
        this.relay = relay;
        this.settled = settled;
    }

    /**
     * What a completion was settled to: the usage the provider reported, else the prompt's estimate and Freeway's
     * count of the answer; null for a stream (its relay hands the settled usage to the door's writer at the end).
     */
    public Usage usage() {
        return settled;
    }

    public Candidate candidate() {
        return attempt.candidate();
    }

    public Account account() {
        return attempt.account();
    }

    /** Upstream calls made, this one included. */
    public int attempts() {
        return attempts;
    }

    /** x-ratelimit-* headers for the serving account. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The upstream status of a completion (2xx). */
    public int status() {
        return reply.answer().status();
    }

    /** A completion's body, as the provider sent it with keys redacted; null for a stream. */
    public String body() {
        return reply.streaming() ? null : reply.answer().body();
    }

    /** A completion's JSON; null for a stream. */
    public JsonNode json() {
        return reply.body();
    }

    /** What the reservation estimated, for doors that must report usage the provider did not. */
    public Estimate estimate() {
        return attempt.estimate();
    }

    /** The started stream's relay; null for a completion. */
    public StreamRelay stream() {
        return relay;
    }
}
