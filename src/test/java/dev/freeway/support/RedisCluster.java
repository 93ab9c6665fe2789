package dev.freeway.support;

import dev.freeway.quota.EmbeddedRedis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A local Redis Cluster of three masters (no replicas), each a redis-server process started with
 * {@code --cluster-enabled yes}. Slots are assigned and nodes introduced with CLUSTER ADDSLOTS and CLUSTER MEET,
 * which is what {@code redis-cli --cluster create} does, without needing redis-cli next to a bundled binary.
 */
public final class RedisCluster implements RedisBackend {

    private static final int SLOTS = 16_384;
    private final List<EmbeddedRedis> nodes = new ArrayList<>();

    private RedisCluster() {
    }

    public static RedisCluster start() {
        RedisCluster cluster = new RedisCluster();
        try {
            for (int i = 0; i < 3; i++) {
                cluster.nodes.add(EmbeddedRedis.startOnFreePort(List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"), true));
            }
            cluster.ports().forEach(Pids::forget); // servers earlier tests ran on these ports had other ids
            cluster.form();
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException ? new UncheckedIOException((IOException) e) : (RuntimeException) e;
        }
    }

    private void form() {
        for (int i = 0; i < nodes.size(); i++) {
            int from = i * SLOTS / nodes.size();
            int to = (i + 1) * SLOTS / nodes.size();
            List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = from; slot < to; slot++) {
                args.add(Integer.toString(slot));
            }
            Resp.command(nodes.get(i).port(), args.toArray(new String[0]));
        }
        for (int i = 1; i < nodes.size(); i++) {
            Resp.command(nodes.get(0).port(), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(nodes.get(i).port()));
        }
        long deadline = System.currentTimeMillis() + 20_000;
        while (!ready()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("cluster did not become ready: " + Resp.text(nodes.get(0).port(), "CLUSTER", "INFO"));
            }
            sleep(50);
        }
    }

    /** Every node sees all three nodes and all slots served. */
    private boolean ready() {
        for (EmbeddedRedis node : nodes) {
            String info = Resp.text(node.port(), "CLUSTER", "INFO");
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + nodes.size())) {
                return false;
            }
        }
        return true;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean cluster() {
        return true;
    }

    @Override
    public List<String> uris() {
        return nodes.stream().map(EmbeddedRedis::uri).toList();
    }

    @Override
    public List<Integer> ports() {
        return nodes.stream().map(EmbeddedRedis::port).toList();
    }

    @Override
    public void close() {
        nodes.forEach(EmbeddedRedis::stop);
    }
}
