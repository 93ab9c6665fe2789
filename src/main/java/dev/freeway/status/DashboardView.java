package dev.freeway.status;

import dev.freeway.routing.RouteFailure;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dashboard's figures, formatted for people: what the template shows, so the template holds no arithmetic.
 * Built from a {@link StatusReport}; it shows account ids, never keys.
 */
public record DashboardView(String generatedAt, boolean degraded, String quotaStore, Card requests, String accounts,
                            String valueToday, String valueMonth, List<ProviderRow> providers,
                            List<AccountRow> accountRows, List<Route> routes, List<StatusReport.FallbackStep> fallback,
                            List<UsageChart> charts, List<String> idle, List<ValueRow> values, List<String> unpriced,
                            boolean adminOpen, String range, String zone, List<UsageRow> usage, String latencyNote,
                            Traffic traffic, RefusalPanel refusals, List<RecentRequests.Row> recent,
                            RecentRequests.Filters filters, CacheCard cache, List<ClientRows.Row> clients) {

    /**
     * What the response cache answered and saved today.
     *
     * @param saved   requests answered from the cache: upstream calls not made, quota not spent
     * @param lookups e.g. "3 hits, 2 misses (60.0%)"
     * @param state   how requests take part, in words
     * @param error   why the figures could not be read, or null
     */
    public record CacheCard(String saved, String tokens, String value, String lookups, String state, String error) {
    }

    /**
     * One provider over the page's range.
     *
     * @param served    requests it served
     * @param refused   refused requests that tried it
     * @param calls     calls counted against its limits (served, and failed ones it may have counted)
     * @param failed    calls that did not serve
     * @param errorRate failed calls of all calls, e.g. "2.5%", or "—" without calls
     * @param p50       e.g. "≤ 500 ms", or "—" when not recorded
     * @param resets    its next daily reset in the page's zone, or "no daily reset"
     */
    public record UsageRow(String provider, String served, String refused, String calls, String tokens, String value,
                           String failed, String errorRate, String p50, String p95, String resets) {
    }

    /**
     * What clients got over the page's range: requests served and refused, each request once.
     *
     * @param period  "today", "last 7 days", "last 30 days"
     * @param answers the refused requests by answer, e.g. "2 × 429 no room"
     */
    public record Traffic(String period, String served, String refused, List<String> answers) {
    }

    /**
     * The refused requests over the page's range: a chart on the page's axis, stacked by answer, and a table of
     * providers by reason.
     *
     * @param chart   null when nothing was refused
     * @param reasons the table's columns, in words
     */
    public record RefusalPanel(String title, UsageChart chart, List<String> reasons, List<RefusalRow> rows,
                               List<AnswerCount> answers, String total, String note) {
    }

    /** @param cells one per reason, in the columns' order */
    public record RefusalRow(String provider, String total, List<ReasonCell> cells) {
    }

    public record ReasonCell(String reason, long count, String text) {
    }

    /** @param kind the routing failure's kind, as counted ({@code exhausted}, {@code upstream_failed}, ...) */
    public record AnswerCount(String kind, String label, String count) {
    }

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

    /** @param skipped candidates left out before any call, each as "candidate — why" */
    public record Route(String task, List<Step> chain, String reason, List<String> skipped) {
    }

    /**
     * @param accounts each account's readiness, e.g. "team-a: parked until 12:00 (tokens per day used up)"
     * @param why      for a step that cannot serve now: the first account's reason, said plainly
     */
    public record Step(String candidate, boolean ready, List<String> accounts, String why) {
    }

    public record ValueRow(String provider, String model, String tokensToday, String tokensMonth, String valueToday,
                           String valueMonth, String price) {
    }

    static DashboardView of(StatusReport report, boolean adminOpen, List<RecentRequests.Row> recent) {
        UsageReport usage = report.usage();
        ZoneId zone = ZoneId.of(usage.zone()); // every time on the page is shown in this one zone
        List<ProviderRow> providers = new ArrayList<>();
        List<AccountRow> accounts = new ArrayList<>();
        List<UsageChart> charts = new ArrayList<>();
        List<String> idle = new ArrayList<>();
        for (StatusReport.ProviderStatus provider : report.providers()) {
            providers.add(new ProviderRow(provider.name(), provider.displayName(), provider.demo(), provider.circuit(),
                    provider.summary().accounts(), card(provider.summary())));
            provider.accounts().forEach(a -> accounts.add(accountRow(provider, a, zone)));
        }
        RefusalReport refusals = report.refusals();
        Map<String, Long> refusedBy = new LinkedHashMap<>();
        refusals.providers().forEach(p -> refusedBy.put(p.name(), p.total()));
        List<UsageRow> usageRows = new ArrayList<>();
        long served = 0;
        for (UsageReport.ProviderUsage provider : usage.providers()) {
            served += provider.total().served() == null ? 0 : provider.total().served();
            List<String> ids = List.copyOf(provider.buckets().get(0).byAccount().keySet());
            UsageChart chart = UsageChart.of(provider, ids, usage.bucket().equals("hour"), zone);
            if (chart.requests() > 0) {
                charts.add(chart);
            } else {
                idle.add(provider.name());
            }
            usageRows.add(usageRow(provider, refusedBy.getOrDefault(provider.name(), 0L), zone));
        }
        List<Route> routes = report.routing().tasks().stream().map(t -> route(t, zone)).toList();
        List<ValueRow> values = new ArrayList<>();
        for (StatusReport.ProviderValue provider : report.value().providers()) {
            for (StatusReport.ModelValue model : provider.models()) {
                values.add(valueRow(provider.name(), model));
            }
        }
        StatusReport.Summary pool = report.pool();
        return new DashboardView(when(zone, report.generatedAt()), report.degraded(), report.quotaStore(), card(pool),
                number(pool.accounts()), money(report.value().today()), money(report.value().month()),
                List.copyOf(providers), List.copyOf(accounts), routes, report.routing().fallbackChain(),
                List.copyOf(charts), List.copyOf(idle), List.copyOf(values), report.value().unpriced(), adminOpen,
                usage.range(), usage.zone(), List.copyOf(usageRows), usage.latency(),
                traffic(usage.range(), served, refusals), refusalPanel(refusals, zone), recent,
                RecentRequests.filters(recent, report.providers().stream().map(StatusReport.ProviderStatus::name)
                        .toList()), cacheCard(report.cache()), ClientRows.of(report.clients(), zone));
    }

    private static CacheCard cacheCard(StatusReport.CacheReport cache) {
        String state = (cache.enabled() ? "on for every cacheable request" : "off unless a request sends"
                + " x-freeway-cache: use") + (cache.shared() ? " · shared by all clients" : " · per client key");
        if (cache.error() != null) {
            return new CacheCard("—", "—", "—", "—", state, cache.error());
        }
        String rate = cache.hitRate() == null ? "" : String.format(Locale.ROOT, " (%.1f%%)", cache.hitRate() * 100);
        return new CacheCard(number(cache.savedRequests()),
                number(cache.savedInputTokens() + cache.savedOutputTokens()), money(cache.savedValueUsd()),
                number(cache.hits()) + (cache.hits() == 1 ? " hit, " : " hits, ") + number(cache.misses())
                        + (cache.misses() == 1 ? " miss" : " misses") + rate, state, null);
    }

    private static Traffic traffic(String range, long served, RefusalReport refusals) {
        List<String> answers = answers(refusals).stream().map(a -> a.count() + " × " + a.label()).toList();
        return new Traffic(period(range), number(served), number(refusals.total()), answers);
    }

    private static String period(String range) {
        return switch (range) {
            case "7d" -> "last 7 days";
            case "30d" -> "last 30 days";
            default -> "today";
        };
    }

    private static RefusalPanel refusalPanel(RefusalReport refusals, ZoneId zone) {
        List<String> kinds = new ArrayList<>();
        for (RouteFailure.Kind kind : RouteFailure.Kind.values()) {
            if (refusals.byAnswer().containsKey(key(kind))) {
                kinds.add(key(kind));
            }
        }
        refusals.byAnswer().keySet().stream().filter(k -> !kinds.contains(k)).forEach(kinds::add);
        List<UsageChart.Column> columns = new ArrayList<>();
        for (RefusalReport.Bucket bucket : refusals.buckets()) {
            Map<String, String> details = new LinkedHashMap<>();
            bucket.byAnswer().forEach((kind, count) -> details.put(kind, answerLabel(kind) + ": " + count
                    + (count == 1 ? " request" : " requests")));
            columns.add(new UsageChart.Column(bucket.start(), bucket.byAnswer(), details));
        }
        boolean hourly = refusals.bucket().equals("hour");
        UsageChart chart = refusals.total() == 0 ? null
                : UsageChart.draw("refused", columns, kinds, DashboardView::answerLabel, hourly, zone);
        List<String> reasons = new ArrayList<>();
        List<RefusalRow> rows = new ArrayList<>();
        for (String reason : refusals.reasons()) {
            reasons.add(RefusalReason.parse(reason).map(RefusalReason::label).orElse(reason));
        }
        for (RefusalReport.ProviderRefusals provider : refusals.providers()) {
            List<ReasonCell> cells = new ArrayList<>();
            for (String reason : refusals.reasons()) {
                long count = provider.byReason().getOrDefault(reason, 0L);
                cells.add(new ReasonCell(reason, count, count == 0 ? "—" : number(count)));
            }
            rows.add(new RefusalRow(provider.name(), number(provider.total()), List.copyOf(cells)));
        }
        String title = switch (refusals.range()) {
            case "7d" -> "Refused requests a day, last 7 days";
            case "30d" -> "Refused requests a day, last 30 days";
            default -> "Refused requests today by hour";
        };
        return new RefusalPanel(title, chart, List.copyOf(reasons), List.copyOf(rows), answers(refusals),
                number(refusals.total()), refusals.note());
    }

    /** The refused requests by answer, most first. */
    private static List<AnswerCount> answers(RefusalReport refusals) {
        return refusals.byAnswer().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> new AnswerCount(e.getKey(), answerLabel(e.getKey()), number(e.getValue()))).toList();
    }

    /** The answer a refused request got, as a client saw it: its status and, in words, why. */
    static String answerLabel(String kind) {
        RouteFailure.Kind known;
        try {
            known = RouteFailure.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return kind;
        }
        return switch (known) {
            case MODEL_NOT_FOUND -> "404 model not found";
            case CLIENT_ERROR -> "4xx client error";
            case CONTENT_FILTERED -> "400 content filtered";
            case NEVER_FITS -> "400 never fits";
            case EXHAUSTED -> "429 no room";
            case UPSTREAM_FAILED -> "502 upstream failed";
            case UPSTREAM_TIMEOUT -> "504 upstream timed out";
            case CREDENTIALS_REJECTED -> "503 key refused";
            case UNAVAILABLE -> "503 unavailable";
            case NO_CANDIDATE -> "503 no candidate";
        };
    }

    private static String key(RouteFailure.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static UsageRow usageRow(UsageReport.ProviderUsage provider, long refused, ZoneId zone) {
        UsageReport.Totals t = provider.total();
        return new UsageRow(provider.name(), t.served() == null ? "—" : number(t.served()), number(refused),
                number(t.requests()), number(t.inputTokens() + t.outputTokens()), money(t.valueUsd()),
                number(t.failedCalls()),
                t.errorRate() == null ? "—" : String.format(Locale.ROOT, "%.1f%%", t.errorRate() * 100),
                latency(provider.latency().p50Ms()), latency(provider.latency().p95Ms()),
                provider.resetsAt() == null ? "no daily reset" : when(zone, provider.resetsAt()) + " (00:00 "
                        + provider.resetZone() + ")");
    }

    private static String latency(Long ms) {
        return ms == null ? "—" : ms == Long.MAX_VALUE ? "> 60 s" : "≤ " + number(ms) + " ms";
    }

    /** The range buttons' label for each range key. */
    public List<RangeLink> ranges() {
        return List.of(new RangeLink("today", "Today by hour", range.equals("today")),
                new RangeLink("7d", "7 days", range.equals("7d")), new RangeLink("30d", "30 days", range.equals("30d")));
    }

    public record RangeLink(String key, String label, boolean current) {
    }

    /** The heading of the chart section, in words: calls counted against limits, not requests served. */
    public String rangeTitle() {
        return switch (range) {
            case "7d" -> "Calls counted a day, last 7 days";
            case "30d" -> "Calls counted a day, last 30 days";
            default -> "Calls counted today by hour";
        };
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

    private static AccountRow accountRow(StatusReport.ProviderStatus provider, StatusReport.AccountStatus account,
                                         ZoneId zone) {
        List<String> rules = new ArrayList<>();
        RuleLine tightest = null;
        for (StatusReport.RuleStatus rule : account.rules()) {
            RuleLine line = new RuleLine("account", rule, zone);
            rules.add(line.text());
            tightest = fuller(tightest, line);
        }
        for (StatusReport.ModelStatus model : account.models()) {
            if (model.parked() != null) {
                rules.add(model.model() + ": parked until " + when(zone, model.parked().until()) + " — "
                        + model.parked().reason());
            }
            for (StatusReport.RuleStatus rule : model.rules()) {
                RuleLine line = new RuleLine(model.model(), rule, zone);
                rules.add(line.text());
                tightest = fuller(tightest, line);
            }
        }
        boolean rejected = "rejected".equals(account.credentials());
        boolean modelParked = account.models().stream().anyMatch(m -> m.parked() != null);
        String state = rejected ? "rejected" : account.parked() != null || modelParked ? "parked" : "ok";
        String status;
        if (rejected) {
            status = "key rejected — parked until " + when(zone, account.parked().until());
        } else if (account.parked() != null) {
            status = "parked until " + when(zone, account.parked().until()) + " — " + account.parked().reason();
        } else if (modelParked) {
            status = account.models().stream().filter(m -> m.parked() != null)
                    .map(m -> m.model() + " parked until " + when(zone, m.parked().until()) + " — " + m.parked().reason())
                    .reduce((a, b) -> a + "; " + b).orElse("");
        } else {
            status = "ok";
        }
        if (!state.equals("ok")) {
            // A parked account admits nothing, whatever its counters say: the bar says so, until when and why.
            return new AccountRow(provider.name(), account.id(), provider.demo(), state, account.credentials(),
                    status, status, 100, "parked", List.copyOf(rules));
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
    private record RuleLine(String scope, StatusReport.RuleStatus rule, ZoneId zone) {

        double percent() {
            return rule.percentUsed() == null ? 0 : rule.percentUsed();
        }

        String summary() {
            return rule.metric() + "/" + rule.window() + (scope.equals("account") ? "" : " " + scope) + " — "
                    + (rule.used() == null ? "?" : number(rule.used())) + " of " + number(rule.limit());
        }

        String text() {
            String resets = rule.resetsAt() == null ? "" : ", resets " + when(zone, rule.resetsAt());
            String expires = rule.expires() == null ? "" : ", expires " + rule.expires();
            return scope + ": " + summary() + resets + expires;
        }
    }

    private static Route route(StatusReport.TaskRoute task, ZoneId zone) {
        List<Step> steps = new ArrayList<>();
        for (StatusReport.ChainEntry entry : task.chain()) {
            List<String> accounts = entry.accounts().stream().map(a -> readiness(a, zone)).toList();
            String why = entry.ready() ? null : entry.accounts().stream().filter(a -> !a.ready()).findFirst()
                    .map(a -> readiness(a, zone)).orElse("no account ready");
            steps.add(new Step(entry.candidate(), entry.ready(), accounts, why));
        }
        List<String> skipped = task.skipped().stream().map(s -> s.candidate() + " — " + s.reason()).toList();
        return new Route(task.task(), List.copyOf(steps), task.reason(), skipped);
    }

    private static String readiness(StatusReport.AccountReady account, ZoneId zone) {
        if (account.ready()) {
            return account.account() + ": ready";
        }
        String until = account.until() == null ? "" : " until " + when(zone, account.until());
        return account.account() + ": " + shortReason(account.reason()) + until;
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

    /** An ISO time in the page's zone, as people read it: a space for the T, whole seconds, the offset kept. */
    static String when(ZoneId zone, String iso) {
        if (iso == null) {
            return "";
        }
        String inZone = Times.at(java.time.OffsetDateTime.parse(iso).toInstant(), zone);
        return inZone.replaceFirst("T", " ").replaceFirst("\\.\\d+", "");
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
