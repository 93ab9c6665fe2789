package dev.freeway.support;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;

import java.util.List;

/** A Redis a test runs against: one server or a cluster, and how to reach it. */
public interface RedisBackend extends AutoCloseable {

    boolean cluster();

    List<String> uris();

    /** The port of every master, for raw per-node commands. */
    List<Integer> ports();

    @Override
    void close();

    /** A client like the one Quarkus builds from quarkus.redis.* and application.properties. */
    default Redis client(Vertx vertx) {
        return client(vertx, cluster(), uris());
    }

    static Redis client(Vertx vertx, boolean cluster, List<String> uris) {
        RedisOptions options = new RedisOptions()
                .setType(cluster ? RedisClientType.CLUSTER : RedisClientType.STANDALONE)
                .setUseReplicas(RedisReplicas.NEVER);
        options.getNetClientOptions().setConnectTimeout(2000);
        uris.forEach(options::addConnectionString);
        return Redis.createClient(vertx, options);
    }
}
