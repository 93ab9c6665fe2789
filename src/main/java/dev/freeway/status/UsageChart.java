package dev.freeway.status;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Geometry of one provider's stacked bar chart over the page's range, one colour per account, worked out here so
 * the template only draws rectangles: no script, no library. Every chart of the page shares one time axis (the
 * page's zone: today's hours, 23 or 25 on the days clocks change, or the range's days), and marks where the
 * provider's own day resets on it.
 *
 * @param provider    the provider's name
 * @param width       SVG view box width
 * @param height      SVG view box height
 * @param bars        one per bucket with requests
 * @param gridLines   horizontal lines with their request counts
 * @param hourLabels  labels on the x axis (every third hour, or days)
 * @param legend      each account's colour
 * @param requests    requests in the range, all accounts
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

    /** The chart of a provider's buckets on the page's axis. */
    static UsageChart of(UsageReport.ProviderUsage usage, List<String> accounts, boolean hourly, ZoneId zone) {
        List<UsageReport.Bucket> buckets = usage.buckets();
        int slots = buckets.size();
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double slot = plotWidth / slots;
        long peak = buckets.stream().mapToLong(b -> b.total().requests()).max().orElse(0);
        long top = niceCeiling(Math.max(peak, 1));
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            UsageReport.Bucket bucket = buckets.get(i);
            if (bucket.total().requests() == 0) {
                continue;
            }
            double x = LEFT + i * slot + slot * 0.15;
            double base = TOP + plotHeight;
            List<Segment> segments = new ArrayList<>();
            String when = label(bucket.start(), hourly);
            for (Map.Entry<String, StatusReport.Counts> account : bucket.byAccount().entrySet()) {
                long count = account.getValue().requests();
                if (count == 0) {
                    continue;
                }
                double h = plotHeight * count / top;
                base -= h;
                segments.add(new Segment(round(x), round(base), round(slot * 0.7), round(h),
                        colour(accounts, account.getKey()), String.format("%s %s %s — %s: %d requests, %d tokens",
                        usage.name(), when, zone.getId(), account.getKey(), count,
                        account.getValue().inputTokens() + account.getValue().outputTokens())));
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
            labels.add(new Label(round(LEFT + i * slot + slot / 2), label(buckets.get(i).start(), hourly)));
        }
        List<Legend> legend = accounts.stream().map(a -> new Legend(a, colour(accounts, a))).toList();
        long requests = buckets.stream().mapToLong(b -> b.total().requests()).sum();
        return new UsageChart(usage.name(), WIDTH, HEIGHT, List.copyOf(bars), List.copyOf(grid), List.copyOf(labels),
                legend, requests, hourly ? reset(usage, zone, slot) : null);
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
