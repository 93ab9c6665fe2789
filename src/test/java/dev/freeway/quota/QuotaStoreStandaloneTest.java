package dev.freeway.quota;

import dev.freeway.support.RedisBackend;
import dev.freeway.support.RedisServer;

/** The store suite against one redis-server. */
class QuotaStoreStandaloneTest extends QuotaStoreSuite {

    @Override
    RedisBackend startRedis() {
        return RedisServer.start();
    }
}
