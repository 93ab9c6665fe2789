package dev.freeway.routing;

import java.time.Instant;

/**
 * Which request this is, for the people reading about it later: the id the client sees in {@code x-request-id}
 * (its own, when it sent one) and in the recent-requests list, and when it arrived.
 *
 * @param requestId the request's id, or null outside a request (status probes)
 * @param received  when it arrived
 * @param client    the named client it comes from, and what that client may use
 */
public record Trace(String requestId, Instant received, ClientScope client) {

    public static final Trace NONE = new Trace(null, Instant.EPOCH, ClientScope.NONE);

    public Trace(String requestId, Instant received) {
        this(requestId, received, ClientScope.NONE);
    }
}
