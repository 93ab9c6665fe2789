package dev.freeway.check;

import dev.freeway.catalog.LimitRule;
import dev.freeway.config.Account;
import dev.freeway.config.Pool;
import dev.freeway.config.PoolProducer;
import dev.freeway.config.ProviderPool;
import dev.freeway.status.Capacity;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a pool as people check it: each provider with its accounts, limit rules (window and reset zone), terms
 * warnings and capacity per day and month; then the pool's total. Account ids only, never keys.
 */
final class PoolPrinter {

    private final PrintStream out;

    PoolPrinter(PrintStream out) {
        this.out = out;
    }

    /** @return the number of terms warnings printed */
    int print(Pool pool, Capacity.Report capacity) {
        int warnings = 0;
        for (ProviderPool provider : pool.all()) {
            if (provider.accounts().isEmpty()) {
                continue;
            }
            Capacity.ProviderCapacity figures = capacity.providers().stream()
                    .filter(p -> p.name().equals(provider.name())).findFirst().orElseThrow();
            warnings += provider(provider, figures);
        }
        Capacity.Figures free = capacity.total().free();
        out.println("Pool: " + capacity.providers().size() + " provider(s), "
                + capacity.providers().stream().mapToInt(Capacity.ProviderCapacity::accounts).sum() + " account(s)");
        out.println("  free capacity  " + figures(free));
        Capacity.Figures paid = capacity.total().paidCeiling();
        if (paid.requestsPerDay() > 0 || !paid.noPublishedLimitRequests().isEmpty()) {
            out.println("  paid ceiling   " + figures(paid) + " (billed, not free)");
        }
        clients(capacity.clients());
        return warnings;
    }

    /** How the named clients' own limits divide the free capacity a day, when any client has one. */
    private void clients(Capacity.ClientDivision division) {
        if (division.clients().isEmpty()) {
            return;
        }
        out.println("  named clients' share of the free capacity a day:");
        for (Capacity.ClientShare client : division.clients()) {
            out.println("    " + client.name() + ": " + share(client.requestsPerDay(), client.requestsPerDayPercent(),
                    "requests") + ", " + share(client.tokensPerDay(), client.tokensPerDayPercent(), "tokens"));
        }
        out.println("    together: " + division(division.requestsPerDay(), "requests") + "; "
                + division(division.tokensPerDay(), "tokens"));
        if (!division.withoutLimits().isEmpty()) {
            out.println("    without limits (they share what is left with requests from no named client): "
                    + String.join(", ", division.withoutLimits()));
        }
    }

    private static String share(Long figure, Double percent, String what) {
        return figure == null ? "no " + what + " limit" : number(figure) + " " + what + " ("
                + String.format(Locale.ROOT, "%.1f%%", percent) + ")";
    }

    private static String division(Capacity.Division division, String what) {
        return number(division.clients()) + " of " + number(division.pool()) + " " + what
                + (division.oversubscribed() ? ", oversubscribed by " + number(division.oversubscribedBy())
                : ", " + number(division.leftForOthers()) + " left for others");
    }

    private int provider(ProviderPool provider, Capacity.ProviderCapacity capacity) {
        out.println(provider.name() + " — " + provider.spec().displayName());
        out.println("  base URL   " + provider.spec().baseUrl());
        out.println("  resets in  " + provider.spec().resetZone().getId() + " (calendar windows: minute, hour, day,"
                + " month)");
        out.println("  accounts   " + String.join(", ", provider.accounts().stream().map(Account::id).toList())
                + " (" + provider.loadBalancing().key() + ")");
        for (Account account : provider.accounts()) {
            rules(provider, account);
        }
        out.println("  capacity   free: " + figures(capacity.capacity().free()));
        Capacity.Figures paid = capacity.capacity().paidCeiling();
        if (paid.requestsPerDay() > 0 || !paid.noPublishedLimitRequests().isEmpty()) {
            out.println("             paid ceiling: " + figures(paid));
        }
        for (Capacity.Grant grant : capacity.grants()) {
            out.println("             grant: " + number(grant.limit()) + " " + grant.metric()
                    + (grant.model() == null ? "" : " for " + grant.model()) + " at " + grant.account()
                    + (grant.expires() == null ? ", no expiry known" : ", expires " + grant.expires()));
        }
        var warning = PoolProducer.termsWarning(provider);
        warning.ifPresent(w -> out.println("  WARNING    " + w));
        out.println();
        return warning.isPresent() ? 1 : 0;
    }

    /** The account's rules: shared ones, then each group of models with the same rules. */
    private void rules(ProviderPool provider, Account account) {
        List<LimitRule> shared = account.rulesFor(provider.spec(), "").stream()
                .filter(r -> r.scope() == LimitRule.Scope.ACCOUNT).toList();
        Map<String, List<String>> byRules = new LinkedHashMap<>();
        for (String model : provider.spec().models().keySet()) {
            List<LimitRule> own = account.rulesFor(provider.spec(), model).stream()
                    .filter(r -> r.scope() == LimitRule.Scope.MODEL).toList();
            byRules.computeIfAbsent(text(own), k -> new ArrayList<>()).add(model);
        }
        out.println("  rules of " + account.id() + ":");
        out.println("    account-wide: " + text(shared));
        byRules.forEach((rules, models) -> out.println("    " + String.join(", ", models) + ": " + rules));
    }

    static String text(List<LimitRule> rules) {
        if (rules.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (LimitRule rule : rules) {
            String window = switch (rule.window()) {
                case ROLLING -> "rolling " + rule.rolling().toSeconds() + "s";
                case NONE -> "at once";
                default -> rule.window().key();
            };
            String expiry = rule.expires() == null ? "" : " (expires " + rule.expires() + ")";
            String tier = rule.tier() == LimitRule.Tier.PAID ? " [paid]" : "";
            parts.add(rule.metric().key() + "/" + window + " " + number(rule.limit()) + expiry + tier);
        }
        return String.join(", ", parts);
    }

    private static String figures(Capacity.Figures f) {
        String value = f.valuePerMonthUsd() == null ? "" : String.format(Locale.ROOT, ", worth $%,.2f a month at"
                + " list prices", f.valuePerMonthUsd());
        String open = f.noPublishedLimitRequests().isEmpty() ? ""
                : "; no published limit: " + String.join(", ", f.noPublishedLimitRequests());
        return number(f.requestsPerDay()) + " requests and " + number(f.tokensPerDay()) + " tokens a day, "
                + number(f.requestsPerMonth()) + " requests and " + number(f.tokensPerMonth()) + " tokens a month"
                + value + open;
    }

    private static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
