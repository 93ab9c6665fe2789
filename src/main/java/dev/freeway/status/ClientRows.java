package dev.freeway.status;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** The dashboard's Clients table: each named client's figures over the page's range and its own rules now. */
public final class ClientRows {

    private ClientRows() {
    }

    /**
     * One named client.
     *
     * @param rules its own rules, each as a bar; empty for a client only the pool's limits bound
     */
    public record Row(String name, String served, String refused, String tokens, String value, List<RuleBar> rules) {
    }

    /**
     * One rule of a client, now.
     *
     * @param rule   e.g. "requests/day"
     * @param used   e.g. "2 of 3"
     * @param left   what it still admits in its window
     * @param resets when its window ends, in the page's zone
     */
    public record RuleBar(String rule, String used, double bar, String level, String left, String resets) {
    }

    static List<Row> of(List<ClientReport> clients, ZoneId zone) {
        List<Row> rows = new ArrayList<>();
        for (ClientReport client : clients) {
            ClientReport.Usage usage = client.usage();
            List<RuleBar> rules = client.rules().stream().map(r -> bar(r, zone)).toList();
            rows.add(usage == null ? new Row(client.name(), "—", "—", "—", "—", rules)
                    : new Row(client.name(), DashboardView.number(usage.served()),
                    DashboardView.number(usage.refused()),
                    DashboardView.number(usage.inputTokens() + usage.outputTokens()),
                    DashboardView.money(usage.valueUsd()), rules));
        }
        return List.copyOf(rows);
    }

    private static RuleBar bar(StatusReport.RuleStatus rule, ZoneId zone) {
        double percent = rule.percentUsed() == null ? 0 : Math.min(100, rule.percentUsed());
        String used = (rule.used() == null ? "?" : DashboardView.number(rule.used())) + " of "
                + DashboardView.number(rule.limit());
        return new RuleBar(rule.metric() + "/" + rule.window(), used, percent, DashboardView.level(percent),
                rule.remaining() == null ? "—" : DashboardView.number(rule.remaining()),
                rule.resetsAt() == null ? "—" : DashboardView.when(zone, rule.resetsAt()));
    }
}
