package dev.freeway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.provider.Usage;
import dev.freeway.routing.RouteRequest;
import dev.freeway.routing.Served;
import dev.freeway.routing.StreamWriter;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * What the cache does for one request, in the order a door asks: {@link #lookup()} before routing, then
 * {@link #keep(Served)} for a whole answer or {@link #keeping} around the door's writer for a stream. Neither ever
 * fails the request: a lookup Redis does not answer is a miss, a store it does not answer is skipped; both are
 * logged at debug and counted in {@code freeway_cache_errors_total}.
 */
public final class CacheTurn {

    private static final Logger LOG = Logger.getLogger(CacheTurn.class);

    /** The cache takes no part and says nothing. */
    static final CacheTurn OFF = new CacheTurn(null, null, null, null, false, null);
    /** The cache takes no part and says so. */
    static final CacheTurn SKIPPED = new CacheTurn(null, null, null, null, false, CacheResult.SKIP);

    private final CacheGate gate;
    private final RouteRequest route;
    private final CacheScope scope;
    private final String key;
    private final boolean reads;
    private CacheResult result;

    CacheTurn(CacheGate gate, RouteRequest route, CacheScope scope, String key, boolean reads) {
        this(gate, route, scope, key, reads, reads ? CacheResult.MISS : CacheResult.REFRESH);
    }

    private CacheTurn(CacheGate gate, RouteRequest route, CacheScope scope, String key, boolean reads,
                      CacheResult result) {
        this.gate = gate;
        this.route = route;
        this.scope = scope;
        this.key = key;
        this.reads = reads;
        this.result = result;
    }

    /** The {@code x-freeway-cache} answer header's value; empty when the cache took no part unasked. */
    public Optional<String> header() {
        return Optional.ofNullable(result).map(CacheResult::label);
    }

    /** The kept answer, when the request may read one and one is kept; the hit or miss is counted. */
    public Optional<CachedAnswer> lookup() {
        if (!reads) {
            return Optional.empty();
        }
        ResponseCache.Lookup lookup = gate.cache.lookup(scope, key);
        if (lookup instanceof ResponseCache.Lookup.Found found) {
            result = CacheResult.HIT;
            gate.metrics.counted(route.endpoint(), CacheResult.HIT);
            gate.metrics.saved(found.answer());
            return Optional.of(found.answer());
        }
        if (lookup instanceof ResponseCache.Lookup.Failed failed) {
            LOG.debugf("Cache lookup failed, routing instead: %s", failed.cause().toString());
            gate.metrics.failed(CacheMetrics.Operation.LOOKUP);
        }
        gate.metrics.counted(route.endpoint(), CacheResult.MISS);
        return Optional.empty();
    }

    /** Keeps a whole answer the engine served, when it may be kept. */
    public void keep(Served served) {
        if (!writes()) {
            return;
        }
        JsonNode answer = served.json();
        Optional<String> whyNot = gate.rules.whyNotKept(route.endpoint(), answer, served.estimate().capped());
        if (whyNot.isPresent()) {
            LOG.debugf("Answer not cached: %s", whyNot.get());
            return;
        }
        put(served, answer, served.usage(), null);
    }

    /**
     * The door's writer, putting the stream together as it is relayed and keeping it when the provider finished it;
     * the writer itself when nothing is to be kept.
     */
    public StreamWriter keeping(StreamWriter door, Served served) {
        if (!writes()) {
            return door;
        }
        return new StreamCollector(door, (completion, pieces) -> keepStreamed(served, completion, pieces));
    }

    private void keepStreamed(Served served, ObjectNode completion, List<List<String>> pieces) {
        Optional<String> whyNot = gate.rules.whyNotKept(route.endpoint(), completion, served.estimate().capped());
        if (whyNot.isPresent()) {
            LOG.debugf("Streamed answer not cached: %s", whyNot.get());
            return;
        }
        put(served, completion, Usage.read(completion.get("usage")), pieces);
    }

    private void put(Served served, JsonNode answer, Usage usage, List<List<String>> pieces) {
        CachedAnswer kept = new CachedAnswer(served.candidate().provider().name(), served.candidate().model(),
                served.account().id(), usage == null ? Usage.NONE : usage, answer, pieces);
        try {
            if (gate.cache.put(scope, key, kept) == ResponseCache.Stored.TOO_LARGE) {
                LOG.debugf("Answer not cached: larger than freeway.cache.max-bytes");
            }
        } catch (RuntimeException e) {
            LOG.debugf("Cache store failed, answer not kept: %s", e.toString());
            gate.metrics.failed(CacheMetrics.Operation.STORE);
        }
    }

    private boolean writes() {
        return gate != null && (result == CacheResult.MISS || result == CacheResult.REFRESH);
    }
}
