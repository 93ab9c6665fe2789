package dev.freeway.routing.strategy;

import dev.freeway.config.Account;
import dev.freeway.config.LoadBalancing;
import dev.freeway.config.Pool;
import dev.freeway.config.RoutingSettings.Weights;
import dev.freeway.quota.QuotaKeys;
import dev.freeway.quota.QuotaStore;
import dev.freeway.quota.Trail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Scores each account, with configurable weights (defaults in brackets): share of quota left × quota (40) + task fit
 * × fit (30: 1 when the model declares the task, else ½) + speed × performance (20: 1 when the account's latency
 * moving average is under {@code fast-latency}, ½ when slower; an account without an average yet counts as the
 * mean of those measured, so it is neither favoured nor punished) + closeness to a limit × proximity (−10: 0 up to
 * 80 % used, rising to 1 when full). The accounts scoring within {@code spread} points of the best share the requests at random, the closer
 * the likelier, so one account does not take every request until its averages move; the rest follow by score.
 */
@ApplicationScoped
public class WeightedStrategy implements AccountStrategy {

    /** The speed of every account while none of them has a latency average: halfway between fast and slow. */
    static final double NONE_MEASURED = 0.75;
    /** Averages outlive quiet days but not abandoned models. */
    static final Duration KEEP = Duration.ofDays(7);

    private final QuotaStore quota;
    private final Weights weights;
    private final DoubleSupplier random;

    @Inject
    public WeightedStrategy(QuotaStore quota, Pool pool) {
        this(quota, pool, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random uniform in [0, 1): a test hands a seeded one */
    public WeightedStrategy(QuotaStore quota, Pool pool, DoubleSupplier random) {
        this.quota = quota;
        this.weights = pool.routing().weights();
        this.random = random;
    }

    @Override
    public LoadBalancing balancing() {
        return LoadBalancing.WEIGHTED;
    }

    @Override
    public List<Account> order(Choice choice) {
        List<Scored> scored = new ArrayList<>();
        scores(choice).forEach((account, score) -> scored.add(new Scored(account, score)));
        scored.sort(Comparator.comparingDouble(Scored::score).reversed());
        Scored first = pick(scored);
        List<Account> ordered = new ArrayList<>();
        ordered.add(first.account());
        scored.stream().filter(s -> s != first).forEach(s -> ordered.add(s.account()));
        return ordered;
    }

    /** The account's latency average, in its own slot, so it rides in the settlement. */
    @Override
    public Trail.Average settled(Choice choice, Account account, Duration answeredIn) {
        return new Trail.Average(QuotaKeys.latency(account.quotaId(), choice.model()), answeredIn.toMillis(), KEEP);
    }

    /** Each account's score, in configuration order. */
    Map<Account, Double> scores(Choice choice) {
        List<Account> accounts = choice.accounts();
        List<QuotaStore.Standing> standings = Utilisation.standings(quota, choice, accounts);
        Map<Account, Double> speeds = new LinkedHashMap<>();
        Map<Account, Double> utilisation = new LinkedHashMap<>();
        for (int i = 0; i < accounts.size(); i++) {
            QuotaStore.Standing standing = standings.get(i);
            speeds.put(accounts.get(i), standing.latencyMs()
                    .map(ms -> ms < weights.fastLatency().toMillis() ? 1.0 : 0.5).orElse(null));
            utilisation.put(accounts.get(i), Utilisation.fullest(standing.usage()));
        }
        double unmeasured = speeds.values().stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue)
                .average().orElse(NONE_MEASURED);
        double fit = choice.spec() == null || !choice.spec().declares(choice.task()) ? 0.5 : 1;
        Map<Account, Double> scores = new LinkedHashMap<>();
        speeds.forEach((account, speed) -> {
            double used = utilisation.get(account);
            double closeness = used < 0.8 ? 0 : Math.min(1, (used - 0.8) / 0.2);
            scores.put(account, weights.quota() * (1 - used) + weights.fit() * fit
                    + weights.performance() * (speed == null ? unmeasured : speed) + weights.proximity() * closeness);
        });
        return scores;
    }

    /** One of the scores within the spread of the best (sorted best first), each as likely as it is close to it. */
    private Scored pick(List<Scored> sorted) {
        double best = sorted.get(0).score();
        double spread = weights.spread();
        List<Scored> close = sorted.stream().filter(s -> best - s.score() < spread).toList();
        if (close.size() < 2) {
            return sorted.get(0);
        }
        double total = close.stream().mapToDouble(s -> spread - (best - s.score())).sum();
        double draw = random.getAsDouble() * total;
        for (Scored candidate : close) {
            draw -= spread - (best - candidate.score());
            if (draw < 0) {
                return candidate;
            }
        }
        return close.get(close.size() - 1);
    }

    private record Scored(Account account, double score) {
    }
}
