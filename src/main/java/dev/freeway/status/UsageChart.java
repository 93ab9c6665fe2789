package dev.freeway.status;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Geometry of one provider's stacked bar chart of today's requests by hour, one colour per account, worked out here
 * so the template only draws rectangles: no script, no library. The x axis is the provider's whole day (23 or 25
 * hours on the days clocks change), hours to come are empty.
 *
 * @param provider    the provider's name
 * @param width       SVG view box width
 * @param height      SVG view box height
 * @param bars        one per hour with requests
 * @param gridLines   horizontal lines with their request counts
 * @param hourLabels  every third hour on the x axis
 * @param legend      each account's colour
 * @param requests    requests today, all accounts
 */
public record UsageChart(String provider, int width, int height, List<Bar> bars, List<GridLine> gridLines,
                         List<Label> hourLabels, List<Legend> legend, long requests) {

    static final int WIDTH = 720;
    static final int HEIGHT = 200;
    static final int LEFT = 44;
    static final int RIGHT = 8;
    static final int TOP = 10;
    static final int BOTTOM = 24;
    static final List<String> COLOURS = List.of("#2f6fde", "#e8833a", "#2e9e5b", "#9a62e0", "#d64545", "#1aa3a3",
            "#c79a1e", "#6b7a8f");

    /** One hour's stacked bar. */
    public record Bar(String hour, List<Segment> segments) {
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

    /** The chart of a provider's hours, or null when it has none (Redis unreadable). */
    static UsageChart of(String provider, ZoneId zone, List<String> accounts, List<StatusReport.HourUsage> hours) {
        if (hours.isEmpty()) {
            return null;
        }
        ZonedDateTime dayStart = OffsetDateTime.parse(hours.get(0).hour()).atZoneSameInstant(zone)
                .toLocalDate().atStartOfDay(zone);
        int slots = (int) Duration.between(dayStart, dayStart.plusDays(1)).toHours();
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        double slot = plotWidth / slots;
        long peak = hours.stream().mapToLong(h -> h.total().requests()).max().orElse(0);
        long top = niceCeiling(Math.max(peak, 1));
        List<Bar> bars = new ArrayList<>();
        long requests = 0;
        for (StatusReport.HourUsage hour : hours) {
            ZonedDateTime at = OffsetDateTime.parse(hour.hour()).atZoneSameInstant(zone);
            long index = Duration.between(dayStart, at).toHours();
            if (index < 0 || index >= slots || hour.total().requests() == 0) {
                continue;
            }
            requests += hour.total().requests();
            double x = LEFT + index * slot + slot * 0.15;
            double base = TOP + plotHeight;
            List<Segment> segments = new ArrayList<>();
            for (Map.Entry<String, StatusReport.Counts> account : hour.byAccount().entrySet()) {
                long count = account.getValue().requests();
                if (count == 0) {
                    continue;
                }
                double h = plotHeight * count / top;
                base -= h;
                segments.add(new Segment(round(x), round(base), round(slot * 0.7), round(h),
                        colour(accounts, account.getKey()), String.format("%s %02d:00 — %s: %d requests, %d tokens",
                        provider, at.getHour(), account.getKey(), count,
                        account.getValue().inputTokens() + account.getValue().outputTokens())));
            }
            bars.add(new Bar(String.format("%02d", at.getHour()), List.copyOf(segments)));
        }
        List<GridLine> grid = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            long value = top * i / 4;
            double y = round(TOP + plotHeight - plotHeight * i / 4.0);
            grid.add(new GridLine(y, y + 3, DashboardView.number(value)));
        }
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < slots; i += 3) {
            labels.add(new Label(round(LEFT + i * slot + slot / 2), String.format("%02d", dayStart.plusHours(i).getHour())));
        }
        List<Legend> legend = accounts.stream().map(a -> new Legend(a, colour(accounts, a))).toList();
        return new UsageChart(provider, WIDTH, HEIGHT, List.copyOf(bars), List.copyOf(grid), List.copyOf(labels),
                legend, requests);
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
}
