package dev.freeway.quota;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.impl.PooledRedisConnection;
import io.vertx.redis.client.impl.RedisClusterConnection;
import org.jboss.logging.Logger;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Closes the sockets under a Redis connection for real. The Vert.x client's {@code close()} hands a pooled
 * connection back to its pool, which lends the same socket to the next {@code connect()}: a socket that went silent
 * (a node gone behind a dead route, a connection carried across a Lambda SnapStart snapshot) would then stall every
 * later call, each until its timeout, until TCP itself gave up many minutes later. Closing the socket evicts it from
 * the pool, so the next call opens a new one.
 *
 * <p>The client has no public way to do this, so this reaches into its implementation: a pooled connection's
 * {@code actual()}, and a cluster connection's per-node connections. RedisSocketsTest fails when a client upgrade
 * moves either.
 */
@RegisterForReflection(targets = RedisClusterConnection.class)
final class RedisSockets {

    private static final Logger LOG = Logger.getLogger(RedisSockets.class);
    private static final Field NODES = clusterNodes();

    private RedisSockets() {
    }

    /** Closes every socket under {@code connection}; a connection this cannot see into is only closed. */
    static void close(RedisConnection connection) {
        Collection<PooledRedisConnection> sockets = sockets(connection);
        if (sockets == null) {
            connection.close();
            return;
        }
        // Not close() as well: it would hand a socket that is still closing back to the pool for a moment.
        for (PooledRedisConnection socket : sockets) {
            try {
                socket.actual().forceClose();
            } catch (RuntimeException e) { // the client shut down meanwhile (a delayed close at shutdown)
                LOG.debugf("Redis socket not closed: %s", e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Collection<PooledRedisConnection> sockets(RedisConnection connection) {
        if (connection instanceof PooledRedisConnection pooled) {
            return List.of(pooled);
        }
        if (connection instanceof RedisClusterConnection && NODES != null) {
            try {
                Map<String, PooledRedisConnection> nodes = (Map<String, PooledRedisConnection>) NODES.get(connection);
                synchronized (nodes) {
                    return nodes.values().stream().filter(java.util.Objects::nonNull).toList();
                }
            } catch (IllegalAccessException | ClassCastException e) {
                return null;
            }
        }
        return null;
    }

    private static Field clusterNodes() {
        try {
            Field field = RedisClusterConnection.class.getDeclaredField("connections");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Cannot see a Redis cluster connection's nodes (%s): a stalled node's socket is only handed "
                    + "back to its pool", e);
            return null;
        }
    }
}
