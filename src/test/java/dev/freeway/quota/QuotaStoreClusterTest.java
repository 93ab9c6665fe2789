package dev.freeway.quota;

import dev.freeway.support.RedisBackend;
import dev.freeway.support.RedisCluster;

/** The store suite against a local three-master Redis Cluster. */
class QuotaStoreClusterTest extends QuotaStoreSuite {

    @Override
    RedisBackend startRedis() {
        return RedisCluster.start();
    }
}
