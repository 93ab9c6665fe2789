package dev.freeway.quota;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What account strategies remember between requests, in Redis so every instance shares it: round-robin positions,
 * which account a conversation sticks to, and each account's latency moving average. Losing any of it only makes
 * a choice less even, so a Redis failure here never fails a request: the strategy falls back to configuration order.
 */
@ApplicationScoped
public class RoutingMemory {

    private static final Logger LOG = Logger.getLogger(RoutingMemory.class);
    /** Positions and averages outlive quiet days but not abandoned models. */
    private static final Duration KEEP = Duration.ofDays(7);

    private final QuotaRedis redis;

    public RoutingMemory(QuotaRedis redis) {
        this.redis = redis;
    }

    /** The next round-robin position of a provider's model, shared by every instance; 0 when Redis fails. */
    public long nextPosition(String provider, String model) {
        String key = "fw:{rr:" + provider + "}:" + model;
        try {
            Response response = redis.eval(LuaScript.ROUND_ROBIN, List.of(key), List.of(String.valueOf(KEEP.toMillis())));
            return response.toLong() - 1;
        } catch (QuotaUnavailableException e) {
            LOG.debugf("Round-robin position unavailable: %s", e.getMessage());
            return 0;
        }
    }

    /** The account a conversation was served by, if it is remembered. */
    public Optional<String> stuckAccount(String provider, String conversation) {
        try {
            Response response = redis.send(Request.cmd(Command.GET).arg(stickyKey(provider, conversation)));
            return response == null ? Optional.empty() : Optional.of(response.toString());
        } catch (QuotaUnavailableException e) {
            return Optional.empty();
        }
    }

    /** Remembers the account that served a conversation. */
    public void stick(String provider, String conversation, String account, Duration forHow) {
        try {
            redis.send(Request.cmd(Command.SET).arg(stickyKey(provider, conversation)).arg(account)
                    .arg("PX").arg(forHow.toMillis()));
        } catch (QuotaUnavailableException e) {
            LOG.debugf("Sticky account not remembered: %s", e.getMessage());
        }
    }

    /** Folds a call's latency into the account's average for the model (key in the account's slot). */
    public void recordLatency(String account, String model, Duration latency) {
        try {
            redis.eval(LuaScript.LATENCY, List.of(latencyKey(account, model)),
                    List.of(String.valueOf(latency.toMillis()), String.valueOf(KEEP.toMillis())));
        } catch (QuotaUnavailableException e) {
            LOG.debugf("Latency not recorded: %s", e.getMessage());
        }
    }

    /** The account's latency average for the model in ms, when known. */
    public Optional<Double> latency(String account, String model) {
        try {
            Response response = redis.send(Request.cmd(Command.GET).arg(latencyKey(account, model)));
            return response == null ? Optional.empty() : Optional.of(Double.parseDouble(response.toString()));
        } catch (QuotaUnavailableException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String stickyKey(String provider, String conversation) {
        return "fw:{sticky:" + provider + "}:" + conversation;
    }

    private static String latencyKey(String account, String model) {
        return "fw:{acct:" + account + "}:lat:" + model;
    }
}
