package dev.freeway.status;

import dev.freeway.cache.CacheFigures;
import dev.freeway.cache.CacheMetrics;
import dev.freeway.cache.CacheScopes;
import dev.freeway.cache.ResponseCache;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.config.Pool;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The response cache's part of the status report: today's hits and misses in the report's zone, and their worth. */
final class CacheView {

    private CacheView() {
    }

    /**
     * @param enabled whether every cacheable request takes part
     * @param shared  whether every client shares one cache
     * @param reading the page's reading: once its reads failed, the figures are not asked for
     */
    static StatusReport.CacheReport today(ResponseCache cache, CacheScopes scopes, Pool pool, boolean enabled,
                                          boolean shared, ZoneId zone, Instant now, PoolReading reading) {
        LocalDate day = LocalDate.ofInstant(now, zone);
        Instant from = day.atStartOfDay(zone).toInstant();
        if (reading.failure().isPresent()) {
            // the page's reads already failed: asking again would cost the page a second timeout
            return unread(enabled, shared, day, "unreachable: " + reading.failure().get());
        }
        CacheFigures figures;
        try {
            figures = cache.figures(scopes.all(), from, now.plus(1, ChronoUnit.HOURS));
        } catch (RuntimeException e) {
            return unread(enabled, shared, day, "unreachable: " + e.getClass().getSimpleName());
        }
        List<StatusReport.CacheSaved> models = new ArrayList<>();
        List<String> unpriced = new ArrayList<>();
        long requests = 0;
        long input = 0;
        long output = 0;
        double value = 0;
        for (CacheFigures.Saved saved : figures.saved()) {
            ModelSpec.Price price = CacheMetrics.price(pool, saved.provider(), saved.model());
            Double worth = price == null ? null
                    : CacheMetrics.worth(price, saved.inputTokens(), saved.outputTokens());
            if (worth == null) {
                unpriced.add(saved.provider() + "/" + saved.model());
            } else {
                value += worth;
            }
            requests += saved.requests();
            input += saved.inputTokens();
            output += saved.outputTokens();
            models.add(new StatusReport.CacheSaved(saved.provider(), saved.model(), saved.requests(),
                    saved.inputTokens(), saved.outputTokens(), worth));
        }
        long lookups = figures.hits() + figures.misses();
        Double rate = lookups == 0 ? null : (double) figures.hits() / lookups;
        return new StatusReport.CacheReport(enabled, shared, day.toString(), figures.hits(), figures.misses(), rate,
                requests, input, output, value, List.copyOf(models), List.copyOf(unpriced), null);
    }

    private static StatusReport.CacheReport unread(boolean enabled, boolean shared, LocalDate day, String error) {
        return new StatusReport.CacheReport(enabled, shared, day.toString(), null, null, null, null, null, null, null,
                List.of(), List.of(), error);
    }
}
