package dev.freeway.quota;

import dev.freeway.support.RedisBackend;
import dev.freeway.support.RedisServer;

/** The cross-process suite against one redis-server. */
class CrossProcessStandaloneTest extends CrossProcessSuite {

    @Override
    RedisBackend startRedis() {
        return RedisServer.start();
    }
}
