package dev.freeway.status;

import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.quota.RequestLog;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the {@link RefusalReport} from the hourly refusal hashes the request path writes before each refused
 * answer: {@code total:<answer>} once per request, {@code <reason>:<provider>} once per provider it tried. A UTC hour
 * goes to the bucket it starts in, exact for every zone whose offset is whole hours.
 */
final class RefusalView {

    static final String TOTAL = "total";
    static final String NOTE = "requests refused after routing, counted before each answer by UTC hour: total and"
            + " by_answer count each request once; it counts once more for each provider it tried, under that"
            + " provider's strongest reason, so providers may add up to more than the total. Input refused before"
            + " routing (bad JSON, a wrong client key, a body too large) is not counted";
    static final String UNREAD = "not read: the quota store could not be reached";

    private RefusalView() {
    }

    static RefusalReport of(Pool pool, PoolReading reading, RequestLog log, UsageRange range, ZoneId zone,
                            Instant now) {
        List<Instant> starts = range.buckets(now, zone);
        Map<Instant, Map<String, Long>> hours = reading.refusals(log, starts.get(0));
        Map<Instant, Counts> byBucket = new TreeMap<>();
        starts.forEach(start -> byBucket.put(start, new Counts()));
        hours.forEach((hour, fields) -> {
            if (!hour.isBefore(starts.get(0))) {
                fields.forEach(byBucket.get(UsageView.bucketOf(starts, hour))::add);
            }
        });
        Counts all = new Counts();
        List<RefusalReport.Bucket> buckets = new ArrayList<>();
        byBucket.forEach((start, counts) -> {
            all.merge(counts);
            buckets.add(new RefusalReport.Bucket(Times.at(start, zone), counts.total(), counts.byAnswer,
                    counts.byProvider));
        });
        List<RefusalReport.ProviderRefusals> providers = new ArrayList<>();
        for (String name : order(pool, all.byProvider.keySet())) {
            Map<String, Long> reasons = withEveryReason(all.byProvider.get(name));
            long total = reasons.values().stream().mapToLong(Long::longValue).sum();
            providers.add(new RefusalReport.ProviderRefusals(name, total, reasons));
        }
        List<String> reasons = java.util.Arrays.stream(RefusalReason.values()).map(RefusalReason::key).toList();
        return new RefusalReport(range.key(), zone.getId(), range.hourly() ? "hour" : "day", all.total(),
                all.byAnswer, List.copyOf(providers), List.copyOf(buckets), reasons,
                reading.failure().isPresent() ? UNREAD : NOTE);
    }

    /** Configured providers first, in configuration order; then any no longer configured. */
    private static Set<String> order(Pool pool, Set<String> refused) {
        Set<String> names = new LinkedHashSet<>();
        pool.all().stream().map(ProviderPool::name).filter(refused::contains).forEach(names::add);
        new java.util.TreeSet<>(refused).forEach(names::add);
        return names;
    }

    /** Every reason in its order, zeros included; a reason the request path adds later is kept after them. */
    private static Map<String, Long> withEveryReason(Map<String, Long> counted) {
        Map<String, Long> reasons = new LinkedHashMap<>();
        for (RefusalReason reason : RefusalReason.values()) {
            reasons.put(reason.key(), counted.getOrDefault(reason.key(), 0L));
        }
        counted.forEach(reasons::putIfAbsent);
        return reasons;
    }

    /** One bucket's fields, split into answers and provider reasons. */
    private static final class Counts {
        final Map<String, Long> byAnswer = new TreeMap<>();
        final Map<String, Map<String, Long>> byProvider = new TreeMap<>();

        void add(String field, long count) {
            int colon = field.indexOf(':');
            if (colon <= 0 || count <= 0) {
                return;
            }
            String head = field.substring(0, colon);
            String tail = field.substring(colon + 1);
            if (head.equals(TOTAL)) {
                byAnswer.merge(tail, count, Long::sum);
            } else {
                byProvider.computeIfAbsent(tail, p -> new TreeMap<>()).merge(head, count, Long::sum);
            }
        }

        void merge(Counts other) {
            other.byAnswer.forEach((answer, count) -> byAnswer.merge(answer, count, Long::sum));
            other.byProvider.forEach((provider, reasons) -> reasons.forEach((reason, count) ->
                    byProvider.computeIfAbsent(provider, p -> new TreeMap<>()).merge(reason, count, Long::sum)));
        }

        long total() {
            return byAnswer.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
