package dev.freeway.status;

import dev.freeway.catalog.LimitRule.Metric;
import dev.freeway.routing.ClientScope;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the pool's free daily capacity divides among the named clients' own limits: each limited client's share,
 * the limits added up against the pool (oversubscribed or not, by how much), and what they leave for everyone
 * else. From the rules alone, like the rest of {@link CapacityCalculator}, whose arithmetic scales a client's rules
 * too (a month rule counts its whole limit for a day; its windows are UTC's).
 */
final class ClientShares {

    static final String BASIS = "Each client's own rules scaled as the pool's are (minute x1440 a day, hour x24, day"
            + " x1, month = its limit, rolling N seconds x86400/N; the smallest rule of a metric bounds it), against"
            + " the pool's free capacity a day. The clients' limits added up may pass the pool's capacity"
            + " (oversubscribed): then whoever asks first is served, and no limit is a promise. left_for_others is"
            + " what the limits leave, shared by requests from no named client and by clients without such a limit"
            + " (without_limits). A client's limit also caps it when the pool has more room.";

    private ClientShares() {
    }

    static Capacity.ClientDivision of(List<ClientScope> clients, Capacity.Figures free, Clock clock) {
        int days = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)).lengthOfMonth();
        List<Capacity.ClientShare> shares = new ArrayList<>();
        List<String> withoutLimits = new ArrayList<>();
        long requests = 0;
        long tokens = 0;
        for (ClientScope client : clients) {
            Optional<Bound> requestsADay = CapacityCalculator.bound(client.rules(), Metric.REQUESTS, 1);
            Optional<Bound> tokensADay = CapacityCalculator.bound(client.rules(), Metric.TOKENS, 1);
            if (requestsADay.isEmpty() && tokensADay.isEmpty()) {
                withoutLimits.add(client.name());
                continue;
            }
            requests = Saturating.add(requests, requestsADay.map(Bound::value).orElse(0L));
            tokens = Saturating.add(tokens, tokensADay.map(Bound::value).orElse(0L));
            shares.add(new Capacity.ClientShare(client.name(), value(requestsADay), value(tokensADay),
                    value(CapacityCalculator.bound(client.rules(), Metric.REQUESTS, days)),
                    value(CapacityCalculator.bound(client.rules(), Metric.TOKENS, days)),
                    requestsADay.map(b -> Times.percent(b.value(), free.requestsPerDay())).orElse(null),
                    tokensADay.map(b -> Times.percent(b.value(), free.tokensPerDay())).orElse(null)));
        }
        return new Capacity.ClientDivision(List.copyOf(shares), List.copyOf(withoutLimits),
                division(free.requestsPerDay(), requests), division(free.tokensPerDay(), tokens), BASIS);
    }

    private static Capacity.Division division(long pool, long clients) {
        return new Capacity.Division(pool, clients, clients > pool, Math.max(0, clients - pool),
                Math.max(0, pool - clients));
    }

    private static Long value(Optional<Bound> bound) {
        return bound.map(Bound::value).orElse(null);
    }
}
