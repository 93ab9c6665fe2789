package dev.freeway.status;

import dev.freeway.catalog.LimitRule;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.config.Account;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.quota.HourlyUsage;
import dev.freeway.quota.LatencyHistogram;
import dev.freeway.quota.UsageLedger;
import dev.freeway.quota.UsageCounts;
import dev.freeway.catalog.Windows;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the {@link UsageReport} from the hourly ledger (requests, tokens, fallbacks, errors per account, model and
 * UTC hour) and the latency histograms. A ledger hour goes to the bucket it starts in, exact for every zone whose
 * offset is whole hours.
 */
final class UsageView {

    /** When the page's reads failed: its zeros are not figures. */
    static final String UNREAD = "not read: the quota store could not be reached, so these zeros are not figures";
    static final String LATENCY_MISSING = "no request served in this range yet: served requests and latency come from"
            + " the per-account daily histograms (fw:{acct:<id>}:latency:<yyyyMMdd>) each served request adds to";
    static final String LATENCY_READ = "p50 and p95 are the upper bounds of the histogram buckets they fall in ("
            + bounds() + "; beyond the last: > 60 s), each request timed from its call to the provider to its"
            + " settlement (a stream's end); served requests are counted from the same histograms. They are kept by"
            + " UTC day, so these two figures cover the UTC days the range touches: exactly the range when it is"
            + " shown in UTC";

    private UsageView() {
    }

    /** The ledger ranges {@link #of} asks for, so that a page can fetch them all at once. */
    static List<UsageLedger.Rows> ledgerAsked(Pool pool, UsageRange range, ZoneId zone, Instant now) {
        Instant from = range.buckets(now, zone).get(0);
        return accounts(pool).map(a -> new UsageLedger.Rows(a.quotaId(), from, now)).toList();
    }

    /** The latency ranges {@link #of} asks for. */
    static List<LatencyHistogram.Days> latencyAsked(Pool pool, UsageRange range, ZoneId zone, Instant now) {
        LocalDate first = firstDay(range.buckets(now, zone));
        return accounts(pool).map(a -> new LatencyHistogram.Days(a.quotaId(), first, lastDay(now))).toList();
    }

    /** The UTC day of the range's first bucket: the latency histograms are kept per UTC day. */
    private static LocalDate firstDay(List<Instant> starts) {
        return starts.get(0).atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static LocalDate lastDay(Instant now) {
        return now.atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static java.util.stream.Stream<Account> accounts(Pool pool) {
        return pool.all().stream().flatMap(provider -> provider.accounts().stream());
    }

    static UsageReport of(Pool pool, PoolReading reading, LatencyHistogram latency, UsageRange range, ZoneId zone,
                          Instant now) {
        List<Instant> starts = range.buckets(now, zone);
        List<UsageReport.ProviderUsage> providers = new ArrayList<>();
        long samples = 0;
        for (ProviderPool provider : pool.all()) {
            if (provider.accounts().isEmpty()) {
                continue;
            }
            UsageReport.ProviderUsage usage = provider(provider, reading, latency, range, zone, starts, now);
            samples += usage.latency().samples();
            providers.add(usage);
        }
        String note = reading.failure().isPresent() ? UNREAD : samples == 0 ? LATENCY_MISSING : LATENCY_READ;
        return new UsageReport(range.key(), zone.getId(), range.hourly() ? "hour" : "day", List.copyOf(providers),
                note);
    }

    private static UsageReport.ProviderUsage provider(ProviderPool provider, PoolReading reading,
                                                      LatencyHistogram histogram, UsageRange range, ZoneId zone,
                                                      List<Instant> starts, Instant now) {
        Map<Instant, Map<String, UsageCounts>> byBucket = new TreeMap<>();
        Map<Instant, Double> values = new TreeMap<>();
        starts.forEach(s -> byBucket.put(s, emptyAccounts(provider)));
        Map<Long, Long> latency = new TreeMap<>();
        LocalDate firstDay = firstDay(starts);
        for (Account account : provider.accounts()) {
            for (HourlyUsage row : reading.ledger(account, starts.get(0), now)) {
                Instant bucket = bucketOf(starts, row.hour());
                byBucket.get(bucket).merge(account.id(), row.counts(), UsageCounts::plus);
                values.merge(bucket, worth(provider, row), Double::sum);
            }
            reading.latency(histogram, account, firstDay, lastDay(now))
                    .forEach((bound, count) -> latency.merge(bound, count, Long::sum));
        }
        List<UsageReport.Bucket> buckets = new ArrayList<>();
        UsageCounts sum = UsageCounts.NONE;
        double value = 0;
        for (Map.Entry<Instant, Map<String, UsageCounts>> bucket : byBucket.entrySet()) {
            UsageCounts total = bucket.getValue().values().stream().reduce(UsageCounts.NONE, UsageCounts::plus);
            double worth = values.getOrDefault(bucket.getKey(), 0.0);
            Map<String, StatusReport.Counts> each = new LinkedHashMap<>();
            bucket.getValue().forEach((id, counts) -> each.put(id, ProviderLedger.counts(counts)));
            buckets.add(new UsageReport.Bucket(Times.at(bucket.getKey(), zone), totals(total, worth, null), each));
            sum = sum.plus(total);
            value += worth;
        }
        UsageReport.Latency percentiles = latency(latency);
        return new UsageReport.ProviderUsage(provider.name(), provider.spec().resetZone().getId(),
                nextDailyReset(provider, zone, now), List.copyOf(buckets), totals(sum, value, percentiles.samples()),
                percentiles);
    }

    private static Map<String, UsageCounts> emptyAccounts(ProviderPool provider) {
        Map<String, UsageCounts> accounts = new LinkedHashMap<>();
        provider.accounts().forEach(a -> accounts.put(a.id(), UsageCounts.NONE));
        return accounts;
    }

    /** The last bucket starting at or before the hour. */
    static Instant bucketOf(List<Instant> starts, Instant hour) {
        Instant found = starts.get(0);
        for (Instant start : starts) {
            if (!start.isAfter(hour)) {
                found = start;
            }
        }
        return found;
    }

    private static double worth(ProviderPool provider, HourlyUsage row) {
        ModelSpec.Price price = provider.spec().model(row.model()).map(ModelSpec::price).orElse(null);
        return price == null ? 0 : StatusService.ValueView.worth(row.counts(), price);
    }

    /**
     * The figures of a bucket or a range. The ledger's requests are the calls counted against the limits, and they
     * include failed calls the provider may have counted, so they cannot stand for served calls in an error rate:
     * every failed call is an error or a fallback, and served calls are the histograms' count, known per day only.
     *
     * @param served requests served, or null where not known (hourly buckets)
     */
    static UsageReport.Totals totals(UsageCounts counts, double value, Long served) {
        long failed = counts.errors() + counts.fallbacks();
        Double errorRate = served == null || served + failed == 0 ? null
                : Math.round(failed * 10_000.0 / (served + failed)) / 10_000.0;
        return new UsageReport.Totals(served, counts.requests(), counts.inputTokens(), counts.outputTokens(),
                counts.fallbacks(), counts.errors(), failed, errorRate, value);
    }

    private static String bounds() {
        StringBuilder text = new StringBuilder();
        for (long bound : LatencyHistogram.BOUNDS_MS) {
            text.append(text.length() == 0 ? "≤ " : ", ").append(bound < 1000 ? bound + " ms"
                    : java.math.BigDecimal.valueOf(bound / 1000.0).stripTrailingZeros().toPlainString() + " s");
        }
        return text.toString();
    }

    private static UsageReport.Latency latency(Map<Long, Long> counts) {
        long samples = counts.values().stream().mapToLong(Long::longValue).sum();
        return new UsageReport.Latency(LatencyHistogram.percentile(counts, 0.5).orElse(null),
                LatencyHistogram.percentile(counts, 0.95).orElse(null), samples);
    }

    /** Its next midnight in its reset zone, shown in the page's zone, when a rule of it resets by the day. */
    static String nextDailyReset(ProviderPool provider, ZoneId zone, Instant now) {
        boolean daily = provider.accounts().stream().anyMatch(a -> provider.spec().models().keySet().stream()
                .anyMatch(m -> a.rulesFor(provider.spec(), m).stream().anyMatch(r -> r.window() == LimitRule.Window.DAY))
                || a.rulesFor(provider.spec(), "").stream().anyMatch(r -> r.window() == LimitRule.Window.DAY));
        if (!daily) {
            return null;
        }
        return Times.at(Windows.span(LimitRule.Window.DAY, provider.spec().resetZone(), now).end(), zone);
    }
}
