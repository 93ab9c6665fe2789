package dev.freeway.quota;

import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The quota engine's Redis, opened to routing for what its account strategies remember between requests (positions,
 * sticky conversations), so every instance shares it. (Weighted's latency averages are in each account's own slot
 * and are written with the settlement: {@link Trail#average()}.) The strategies own what they keep and name
 * their keys with {@link QuotaKeys}; every write here has a life, so nothing stays forever. Losing any of it only
 * makes a choice less even, so nothing here throws: a Redis failure reads as nothing remembered.
 */
@ApplicationScoped
public class SharedState {

    private static final Logger LOG = Logger.getLogger(SharedState.class);

    private final RedisScripts redis;

    public SharedState(RedisScripts redis) {
        this.redis = redis;
    }

    /** Adds {@code amount} to a counter that lives {@code keep} after its last change; its new value. */
    public OptionalLong add(String key, long amount, Duration keep) {
        try {
            Response value = redis.eval(LuaScript.COUNTER, List.of(key),
                    List.of(String.valueOf(keep.toMillis()), String.valueOf(amount)));
            return OptionalLong.of(value.toLong());
        } catch (QuotaUnavailableException e) {
            LOG.debugf("Counter %s not advanced: %s", key, e.getMessage());
            return OptionalLong.empty();
        }
    }

    /**
     * A sticky conversation's turn, in one round trip: the next turn of the position under {@code rotation}, and
     * the account the conversation under {@code stickiness} sticks to, which is the turn's account when it stuck to
     * none of {@code accounts} (stuck to it from now on); both kept alive. Empty when Redis cannot be reached.
     */
    public Optional<StickyTurn> stickyTurn(String rotation, String stickiness, Duration keep, Duration stickFor,
                                           List<String> accounts) {
        List<String> args = new ArrayList<>(accounts.size() + 2);
        args.add(String.valueOf(keep.toMillis()));
        args.add(String.valueOf(stickFor.toMillis()));
        args.addAll(accounts);
        try {
            Response turn = redis.eval(LuaScript.STICKY_TURN, List.of(rotation, stickiness), args);
            return Optional.of(new StickyTurn(turn.get(0).toLong(), turn.get(1).toString()));
        } catch (QuotaUnavailableException e) {
            LOG.debugf("Turn %s not taken: %s", rotation, e.getMessage());
            return Optional.empty();
        }
    }

    /** A turn of a round-robin position (counted from 1), and the account a conversation sticks to. */
    public record StickyTurn(long turn, String account) {
    }

    /**
     * A sticky conversation moved on to the account at {@code position} of the order it was offered: it sticks
     * there now, and when it took its turn in this request the position moves past that account (sticky-move.lua).
     */
    public void stickyMove(String rotation, String stickiness, String account, Duration stickFor, int position,
                           Duration keep) {
        try {
            redis.eval(LuaScript.STICKY_MOVE, List.of(rotation, stickiness), List.of(account,
                    String.valueOf(stickFor.toMillis()), String.valueOf(position), String.valueOf(keep.toMillis())));
        } catch (QuotaUnavailableException e) {
            LOG.debugf("%s not moved on: %s", stickiness, e.getMessage());
        }
    }
}
