package dev.freeway.quota;

import dev.freeway.support.RedisBackend;
import dev.freeway.support.RedisCluster;

/** The cross-process suite against a local three-master Redis Cluster. */
class CrossProcessClusterTest extends CrossProcessSuite {

    @Override
    RedisBackend startRedis() {
        return RedisCluster.start();
    }
}
