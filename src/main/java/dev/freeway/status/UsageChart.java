package dev.freeway.status;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Geometry of one stacked bar chart over the page's range (a provider's calls, one colour per account; or the
 * refused requests, one colour per answer), worked out here so the template only draws rectangles: no script, no
 * library. Every chart of the page shares one time axis (the
 * page's zone: today's hours, 23 or 25 on the days clocks change, or the range's days), and marks where the
 * provider's own day resets on it.
 *
 * @param provider    the provider's name (or "refused")
 * @param width       SVG view box width
 * @param height      SVG view box height
 * @param bars        one per bucket with requests
 * @param gridLines   horizontal lines with their counts
 * @param hourLabels  labels on the x axis (every third hour, or days)
 * @param legend      each account's (or answer's) colour
 * @param requests    what the bars add up to over the range
 * @param reset       where the provider's day resets on the axis, or null when it is off the axis or has none
 */
public record UsageChart(String provider, int width, int height, List<Bar> bars, List<GridLine> gridLines,
                         List<Label> hourLabels, List<Legend> legend, long requests, Reset reset) {

    static final int WIDTH = 720;
    static final int HEIGHT = 200;
    static final int LEFT = 44;
    static final int RIGHT = 8;
    static final int TOP = 14;
    static final int BOTTOM = 24;
    static final List<String> COLOURS = List.of("#2f6fde", "#e8833a", "#2e9e5b", "#9a62e0", "#d64545", "#1aa3a3",
            "#c79a1e", "#6b7a8f");

    /** One bucket's stacked bar. */
    public record Bar(String bucket, List<Segment> segments) {
    }

    /** One account's part of a bar. */
    public record Segment(double x, double y, double width, double height, String colour, String title) {
    }

    /** @param textY baseline of its label, a little below the line so the label sits centred on it */
    public record GridLine(double y, double textY, String label) {
    }

    public record Label(double x, String text) {
    }

    public record Legend(String account, String colour) {
    }

    /** @param label e.g. "day resets 00:00 America/Los_Angeles = 08:00 UTC" */
    public record Reset(double x, String label) {
    }

    /** One bucket's parts: series (an account, an answer) → count, with the words of each part's tooltip. */
    record Column(String start, Map<String, Long> counts, Map<String, String> details) {
    }

    /** The chart of a provider's buckets on the page's axis, one colour per account. */
    static UsageChart of(UsageReport.ProviderUsage usage, List<String> accounts, boolean hourly, ZoneId zone) {
        List<Column> columns = new ArrayList<>();
        for (UsageReport.Bucket bucket : usage.buckets()) {
            Map<String, Long> counts = new LinkedHashMap<>();
            Map<String, String> details = new LinkedHashMap<>();
            bucket.byAccount().forEach((account, c) -> {
                counts.put(account, c.requests());
                details.put(account, String.format("%s: %d calls, %d tokens", account, c.requests(),
                        c.inputTokens() + c.outputTokens()));
            });
            columns.add(new Column(bucket.start(), counts, details));
        }
        UsageChart drawn = draw(usage.name(), columns, accounts, a -> a, hourly, zone);
        double slot = (double) (WIDTH - LEFT - RIGHT) / columns.size();
        return new UsageChart(drawn.provider, WIDTH, HEIGHT, drawn.bars, drawn.gridLines, drawn.hourLabels,
                drawn.legend, drawn.requests, hourly ? reset(usage, zone, slot) : null);
    }

    /**
     * Stacked bars on the page's axis: one column a bucket, one colour a series, in {@code series} order.
     *
     * @param names each series' words in the legend
     */
    static UsageChart draw(String name, List<Column> columns, List<String> series,
                           java.util.function.Function<String, String> names, boolean hourly, ZoneId zone) {
        int slots = columns.size();
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double slot = plotWidth / slots;
        long peak = columns.stream().mapToLong(UsageChart::sum).max().orElse(0);
        long top = niceCeiling(Math.max(peak, 1));
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            Column column = columns.get(i);
            if (sum(column) == 0) {
                continue;
            }
            double x = LEFT + i * slot + slot * 0.15;
            double base = TOP + plotHeight;
            List<Segment> segments = new ArrayList<>();
            String when = label(column.start(), hourly);
            for (String part : series) {
                long count = column.counts().getOrDefault(part, 0L);
                if (count == 0) {
                    continue;
                }
                double h = plotHeight * count / top;
                base -= h;
                segments.add(new Segment(round(x), round(base), round(slot * 0.7), round(h), colour(series, part),
                        name + " " + when + " " + zone.getId() + " — " + column.details().get(part)));
            }
            bars.add(new Bar(when, List.copyOf(segments)));
        }
        List<GridLine> grid = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            double y = round(TOP + plotHeight - plotHeight * i / 4.0);
            grid.add(new GridLine(y, y + 3, DashboardView.number(top * i / 4)));
        }
        int every = hourly ? 3 : slots <= 7 ? 1 : 5;
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < slots; i += every) {
            labels.add(new Label(round(LEFT + i * slot + slot / 2), label(columns.get(i).start(), hourly)));
        }
        List<Legend> legend = series.stream().map(a -> new Legend(names.apply(a), colour(series, a))).toList();
        long total = columns.stream().mapToLong(UsageChart::sum).sum();
        return new UsageChart(name, WIDTH, HEIGHT, List.copyOf(bars), List.copyOf(grid), List.copyOf(labels),
                legend, total, null);
    }

    private static long sum(Column column) {
        return column.counts().values().stream().mapToLong(Long::longValue).sum();
    }

    /** The provider's last or next daily reset, when it falls on today's axis. */
    private static Reset reset(UsageReport.ProviderUsage usage, ZoneId zone, double slot) {
        if (usage.resetsAt() == null) {
            return null;
        }
        Instant axisStart = OffsetDateTime.parse(usage.buckets().get(0).start()).toInstant();
        Instant axisEnd = axisStart.plus(Duration.ofHours(usage.buckets().size()));
        Instant next = OffsetDateTime.parse(usage.resetsAt()).toInstant();
        for (Instant at : List.of(next, next.minus(Duration.ofDays(1)))) {
            if (!at.isBefore(axisStart) && at.isBefore(axisEnd)) {
                double hours = Duration.between(axisStart, at).toMinutes() / 60.0;
                String local = at.atZone(zone).toLocalTime().toString();
                return new Reset(round(LEFT + hours * slot), "day resets 00:00 " + usage.resetZone() + " = " + local
                        + " " + zone.getId());
            }
        }
        return null;
    }

    private static String label(String iso, boolean hourly) {
        OffsetDateTime at = OffsetDateTime.parse(iso);
        return hourly ? String.format("%02d:%02d", at.getHour(), at.getMinute()).replace(":00", "")
                : String.format("%02d-%02d", at.getMonthValue(), at.getDayOfMonth());
    }

    /** The axis top: 4, 8, 12 or 20 times a power of ten, the first at least the peak, so each quarter is whole. */
    static long niceCeiling(long peak) {
        for (long power = 1; ; power *= 10) {
            for (long step : new long[]{4, 8, 12, 20}) {
                if (step * power >= peak) {
                    return step * power;
                }
            }
        }
    }

    private static String colour(List<String> accounts, String account) {
        int index = accounts.indexOf(account);
        return COLOURS.get(Math.floorMod(index < 0 ? account.hashCode() : index, COLOURS.size()));
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    public String viewBox() {
        return "0 0 " + width + " " + height;
    }

    public int plotLeft() {
        return LEFT;
    }

    public int gridLabelX() {
        return LEFT - 6;
    }

    public int plotRight() {
        return width - RIGHT;
    }

    public int axisY() {
        return height - BOTTOM;
    }

    public int labelY() {
        return height - 6;
    }

    public int plotTop() {
        return TOP;
    }
}
