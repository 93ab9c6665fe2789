package dev.freeway.config;

import java.time.Duration;

/**
 * How long Freeway waits for a provider, connects to it, and keeps a connection to it.
 *
 * @param total      a whole non-streamed answer, body included (and a stream's response headers)
 * @param firstEvent a stream's first data event, counted from the request
 * @param idle       the silence between two events of a stream that has started
 * @param keepAlive  how long an idle connection is kept for the next call: under the provider's own idle limit, so
 *                   a call is not written into a connection the provider is closing
 * @param connect    how long a new connection (and its TLS handshake) may take; a call not connected by then was
 *                   never sent, so it moves on and counts nothing
 */
public record Timeouts(Duration total, Duration firstEvent, Duration idle, Duration keepAlive, Duration connect) {

    /** Under the idle limits of the CDNs in front of the hosted providers (60 s and more). */
    public static final Duration HOSTED_KEEP_ALIVE = Duration.ofSeconds(30);
    /** Under the 5 s of uvicorn (vLLM's server) and of Node's HTTP server, what self-hosted servers often run on. */
    public static final Duration SELF_HOSTED_KEEP_ALIVE = Duration.ofSeconds(4);
    /** A provider that has not taken the connection in 10 s is down or unreachable from here. */
    public static final Duration CONNECT = Duration.ofSeconds(10);

    /** Every wait the same, connections kept as for a hosted provider. */
    public static Timeouts all(Duration wait) {
        return new Timeouts(wait, wait, wait, HOSTED_KEEP_ALIVE, CONNECT);
    }
}
