package dev.freeway.status;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The dashboard's figures, formatted for people: what the template shows, so the template holds no arithmetic.
 * Built from a {@link StatusReport}; it shows account ids, never keys.
 */
public record DashboardView(String generatedAt, boolean degraded, String quotaStore, Card requests, String accounts,
                            String valueToday, String valueMonth, List<ProviderRow> providers,
                            List<AccountRow> accountRows, List<Route> routes, List<StatusReport.FallbackStep> fallback,
                            List<UsageChart> charts, List<String> idle, List<ValueRow> values, List<String> unpriced,
                            boolean adminOpen) {

    /**
     * Today's requests against the free daily capacity.
     *
     * @param used     every request today
     * @param within   requests on models the capacity counts: the only ones the percentage compares
     * @param capacity free requests a day, or "no daily limit"
     * @param outside  requests on the other models, or null when there were none
     */
    public record Card(String used, String within, String capacity, String remaining, String percent, double bar,
                       String level, String outside) {

        public boolean limited() {
            return !NO_DAILY_LIMIT.equals(capacity);
        }
    }

    static final String NO_DAILY_LIMIT = "no daily limit";

    public record ProviderRow(String name, String displayName, boolean demo, String circuit, int accounts,
                              Card today) {
    }

    /**
     * @param state  ok, parked or rejected: the row's highlight
     * @param status one line: "ok", "parked until ... : why", "key rejected ..."
     * @param tightest the fullest rule and how full, e.g. "requests/day openai/gpt-oss-120b 5 of 1,000"
     */
    public record AccountRow(String provider, String account, boolean demo, String state, String credentials,
                             String status, String tightest, double tightestPercent, String level,
                             List<String> rules) {
    }

    public record Route(String task, List<Step> chain, String reason, int skipped) {
    }

    /** @param accounts each account's readiness, e.g. "team-a: parked" */
    public record Step(String candidate, boolean ready, List<String> accounts) {
    }

    public record ValueRow(String provider, String model, String tokensToday, String tokensMonth, String valueToday,
                           String valueMonth, String price) {
    }

    static DashboardView of(StatusReport report, java.util.function.Function<String, ZoneId> zones, boolean adminOpen) {
        List<ProviderRow> providers = new ArrayList<>();
        List<AccountRow> accounts = new ArrayList<>();
        List<UsageChart> charts = new ArrayList<>();
        List<String> idle = new ArrayList<>();
        for (StatusReport.ProviderStatus provider : report.providers()) {
            providers.add(new ProviderRow(provider.name(), provider.displayName(), provider.demo(), provider.circuit(),
                    provider.summary().accounts(), card(provider.summary())));
            provider.accounts().forEach(a -> accounts.add(accountRow(provider, a)));
            List<String> ids = provider.accounts().stream().map(StatusReport.AccountStatus::id).toList();
            UsageChart chart = UsageChart.of(provider.name(), zones.apply(provider.name()), ids, provider.usageToday());
            if (chart != null && chart.requests() > 0) {
                charts.add(chart);
            } else {
                idle.add(provider.name());
            }
        }
        List<Route> routes = report.routing().tasks().stream().map(DashboardView::route).toList();
        List<ValueRow> values = new ArrayList<>();
        for (StatusReport.ProviderValue provider : report.value().providers()) {
            for (StatusReport.ModelValue model : provider.models()) {
                values.add(valueRow(provider.name(), model));
            }
        }
        StatusReport.Summary pool = report.pool();
        return new DashboardView(when(report.generatedAt()), report.degraded(), report.quotaStore(), card(pool),
                number(pool.accounts()), money(report.value().today()), money(report.value().month()),
                List.copyOf(providers), List.copyOf(accounts), routes, report.routing().fallbackChain(),
                List.copyOf(charts), List.copyOf(idle), List.copyOf(values), report.value().unpriced(), adminOpen);
    }

    private static Card card(StatusReport.Summary summary) {
        Double percent = summary.percentUsed();
        double bar = percent == null ? 0 : Math.min(100, percent);
        return new Card(number(summary.usedToday()), number(summary.usedWithinCapacity()),
                summary.dailyRequestCapacity() == null ? NO_DAILY_LIMIT : number(summary.dailyRequestCapacity()),
                summary.remaining() == null ? "—" : number(summary.remaining()),
                percent == null ? "—" : String.format(Locale.ROOT, "%.1f%%", percent), bar, level(bar),
                summary.usedOutsideCapacity() == 0 ? null : number(summary.usedOutsideCapacity()));
    }

    private static AccountRow accountRow(StatusReport.ProviderStatus provider, StatusReport.AccountStatus account) {
        List<String> rules = new ArrayList<>();
        RuleLine tightest = null;
        for (StatusReport.RuleStatus rule : account.rules()) {
            RuleLine line = new RuleLine("account", rule);
            rules.add(line.text());
            tightest = fuller(tightest, line);
        }
        for (StatusReport.ModelStatus model : account.models()) {
            if (model.parked() != null) {
                rules.add(model.model() + ": parked until " + when(model.parked().until()) + " — "
                        + model.parked().reason());
            }
            for (StatusReport.RuleStatus rule : model.rules()) {
                RuleLine line = new RuleLine(model.model(), rule);
                rules.add(line.text());
                tightest = fuller(tightest, line);
            }
        }
        boolean rejected = "rejected".equals(account.credentials());
        boolean modelParked = account.models().stream().anyMatch(m -> m.parked() != null);
        String state = rejected ? "rejected" : account.parked() != null || modelParked ? "parked" : "ok";
        String status;
        if (rejected) {
            status = "key rejected — parked until " + when(account.parked().until());
        } else if (account.parked() != null) {
            status = "parked until " + when(account.parked().until()) + " — " + account.parked().reason();
        } else if (modelParked) {
            status = account.models().stream().filter(m -> m.parked() != null)
                    .map(m -> m.model() + " parked until " + when(m.parked().until())).reduce((a, b) -> a + "; " + b)
                    .orElse("");
        } else {
            status = "ok";
        }
        double percent = tightest == null ? 0 : tightest.percent();
        return new AccountRow(provider.name(), account.id(), provider.demo(), state, account.credentials(), status,
                tightest == null ? "no counted rule" : tightest.summary(), Math.min(100, percent), level(percent),
                List.copyOf(rules));
    }

    private static RuleLine fuller(RuleLine a, RuleLine b) {
        if (b.rule().used() == null || b.rule().metric().equals("concurrent_requests")) {
            return a;
        }
        return a == null || b.percent() > a.percent() ? b : a;
    }

    /** One rule of one scope (the account, or a model), as the dashboard words it. */
    private record RuleLine(String scope, StatusReport.RuleStatus rule) {

        double percent() {
            return rule.percentUsed() == null ? 0 : rule.percentUsed();
        }

        String summary() {
            return rule.metric() + "/" + rule.window() + (scope.equals("account") ? "" : " " + scope) + " — "
                    + (rule.used() == null ? "?" : number(rule.used())) + " of " + number(rule.limit());
        }

        String text() {
            String resets = rule.resetsAt() == null ? "" : ", resets " + when(rule.resetsAt());
            String expires = rule.expires() == null ? "" : ", expires " + rule.expires();
            return scope + ": " + summary() + resets + expires;
        }
    }

    private static Route route(StatusReport.TaskRoute task) {
        List<Step> steps = new ArrayList<>();
        for (StatusReport.ChainEntry entry : task.chain()) {
            List<String> accounts = entry.accounts().stream()
                    .map(a -> a.account() + (a.ready() ? ": ready" : ": " + shortReason(a.reason()))).toList();
            steps.add(new Step(entry.candidate(), entry.ready(), accounts));
        }
        return new Route(task.task(), List.copyOf(steps), task.reason(), task.skipped().size());
    }

    private static String shortReason(String reason) {
        if (reason == null) {
            return "not ready";
        }
        int colon = reason.indexOf(':', reason.indexOf(':') + 1);
        return colon > 0 ? reason.substring(0, colon) : reason;
    }

    private static ValueRow valueRow(String provider, StatusReport.ModelValue model) {
        String price = model.price() == null ? model.note()
                : String.format(Locale.ROOT, "$%s in / $%s out per 1M (%s)", plain(model.price().inputPerMillion()),
                plain(model.price().outputPerMillion()), model.price().asOf());
        return new ValueRow(provider, model.model(),
                number(model.today().inputTokens() + model.today().outputTokens()),
                number(model.month().inputTokens() + model.month().outputTokens()),
                model.valueToday() == null ? "—" : money(model.valueToday()),
                model.valueMonth() == null ? "—" : money(model.valueMonth()), price);
    }

    /** An ISO time as people read it: a space for the T, whole seconds, the offset kept. */
    static String when(String iso) {
        return iso == null ? "" : iso.replaceFirst("T", " ").replaceFirst("\\.\\d+", "");
    }

    /** ok below 75 %, warn below 100 %, full at 100 %. */
    static String level(double percent) {
        return percent >= 100 ? "full" : percent >= 75 ? "warn" : "ok";
    }

    static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** Dollars: cents from a dollar up, six decimals below a cent so that small free-tier values still show. */
    static String money(double value) {
        if (value == 0) {
            return "$0.00";
        }
        return value >= 0.01 ? String.format(Locale.ROOT, "$%,.2f", value) : String.format(Locale.ROOT, "$%.6f", value);
    }

    private static String plain(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Providers without a request today, for one line under the charts. */
    public String idleText() {
        return String.join(", ", idle);
    }
}
