package dev.freeway.status;

import dev.freeway.catalog.LimitRule.Window;
import dev.freeway.config.Account;
import dev.freeway.config.ProviderPool;
import dev.freeway.quota.HourlyUsage;
import dev.freeway.quota.UsageLedger;
import dev.freeway.quota.UsageCounts;
import dev.freeway.catalog.Windows;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One provider's usage ledger for today and this month, in its reset zone. The ledger counts per UTC hour; an hour
 * belongs to the day (or month) it starts in, which is exact for every zone whose offset is whole hours.
 *
 * @param hours        each hour from the start of today to now, with the provider's totals and each account's
 * @param todayByModel tokens and requests of today, per model
 * @param monthByModel the same since the month began
 */
record ProviderLedger(List<StatusReport.HourUsage> hours, Map<String, UsageCounts> todayByModel,
                      Map<String, UsageCounts> monthByModel) {

    /** The ledger ranges {@link #read} asks for, so that a page can fetch them all at once. */
    static List<UsageLedger.Rows> asked(ProviderPool provider, Instant now) {
        Instant from = Starts.of(provider.spec().resetZone(), now).earliest();
        return provider.accounts().stream().map(a -> new UsageLedger.Rows(a.quotaId(), from, now)).toList();
    }

    /** Where the provider's day and month began, in its reset zone, to the hour. */
    private record Starts(Instant day, Instant month) {
        static Starts of(ZoneId zone, Instant now) {
            return new Starts(Windows.span(Window.DAY, zone, now).start().truncatedTo(ChronoUnit.HOURS),
                    Windows.span(Window.MONTH, zone, now).start().truncatedTo(ChronoUnit.HOURS));
        }

        Instant earliest() {
            return month.isBefore(day) ? month : day;
        }
    }

    static ProviderLedger read(ProviderPool provider, PoolReading reading, Instant now) {
        ZoneId zone = provider.spec().resetZone();
        Starts starts = Starts.of(zone, now);
        Instant dayStart = starts.day();
        Instant monthStart = starts.month();
        Instant from = starts.earliest();
        Map<Instant, Map<String, UsageCounts>> byHour = new TreeMap<>();
        for (Instant hour = dayStart; !hour.isAfter(now); hour = hour.plus(1, ChronoUnit.HOURS)) {
            Map<String, UsageCounts> accounts = new LinkedHashMap<>();
            provider.accounts().forEach(a -> accounts.put(a.id(), UsageCounts.NONE));
            byHour.put(hour, accounts);
        }
        Map<String, UsageCounts> today = new TreeMap<>();
        Map<String, UsageCounts> month = new TreeMap<>();
        for (Account account : provider.accounts()) {
            for (HourlyUsage row : reading.ledger(account, from, now)) {
                if (!row.hour().isBefore(monthStart)) {
                    month.merge(row.model(), row.counts(), UsageCounts::plus);
                }
                if (!row.hour().isBefore(dayStart)) {
                    today.merge(row.model(), row.counts(), UsageCounts::plus);
                    byHour.computeIfAbsent(row.hour(), h -> new LinkedHashMap<>())
                            .merge(account.id(), row.counts(), UsageCounts::plus);
                }
            }
        }
        List<StatusReport.HourUsage> hours = new ArrayList<>();
        byHour.forEach((hour, accounts) -> {
            UsageCounts total = accounts.values().stream().reduce(UsageCounts.NONE, UsageCounts::plus);
            Map<String, StatusReport.Counts> each = new LinkedHashMap<>();
            accounts.forEach((id, counts) -> each.put(id, counts(counts)));
            hours.add(new StatusReport.HourUsage(Times.at(hour, zone), counts(total), each));
        });
        return new ProviderLedger(List.copyOf(hours), today, month);
    }

    static StatusReport.Counts counts(UsageCounts c) {
        return new StatusReport.Counts(c.requests(), c.inputTokens(), c.outputTokens(), c.fallbacks(), c.errors());
    }
}
