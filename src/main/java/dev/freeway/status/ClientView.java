package dev.freeway.status;

import dev.freeway.catalog.ModelSpec;
import dev.freeway.config.Account;
import dev.freeway.config.Pool;
import dev.freeway.config.ProviderPool;
import dev.freeway.quota.ClientUsage;
import dev.freeway.quota.UsageCounts;
import dev.freeway.quota.UsageLedger;
import dev.freeway.routing.ClientScope;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds each named client's {@link ClientReport}: its rules from the same snapshot reader as an account's, its
 * figures from the client hashes the serving accounts' settlements and the refusals wrote. An hour goes to the
 * range it starts in, as in the usage view.
 */
final class ClientView {

    private ClientView() {
    }

    /** The client figures {@link #of} asks for: every account's over the range's buckets, as the usage view's. */
    static List<UsageLedger.Rows> asked(List<ClientScope> clients, Pool pool, UsageRange range, ZoneId zone,
                                        Instant now) {
        return clients.isEmpty() ? List.of() : UsageView.ledgerAsked(pool, range, zone, now);
    }

    static List<ClientReport> of(List<ClientScope> clients, Pool pool, PoolReading reading, UsageRange range,
                                 ZoneId zone, Instant now) {
        if (clients.isEmpty()) {
            return List.of();
        }
        Instant from = range.buckets(now, zone).get(0);
        Map<String, Figures> figures = new LinkedHashMap<>();
        clients.forEach(c -> figures.put(c.name(), new Figures()));
        for (ProviderPool provider : pool.all()) {
            for (Account account : provider.accounts()) {
                for (ClientUsage served : reading.clients(account, from, now)) {
                    Figures client = figures.get(served.client());
                    if (client != null) { // a client no longer configured is not shown
                        client.served(provider, served);
                    }
                }
            }
        }
        reading.clientRefusals(from, now).forEach(r -> Optional.ofNullable(figures.get(r.client()))
                .ifPresent(client -> client.refused += r.refused()));
        boolean read = reading.failure().isEmpty();
        List<ClientReport> reports = new ArrayList<>();
        for (ClientScope client : clients) {
            List<StatusReport.RuleStatus> rules = StatusService.rules(client.rules(), reading.clientUsage(client),
                    ZoneOffset.UTC);
            reports.add(new ClientReport(client.name(), rules,
                    read ? figures.get(client.name()).usage(range, zone) : null));
        }
        return List.copyOf(reports);
    }

    /** One client's figures as they add up. */
    private static final class Figures {
        long served;
        long refused;
        long input;
        long output;
        double value;
        final Set<String> unpriced = new LinkedHashSet<>();

        void served(ProviderPool provider, ClientUsage usage) {
            served += usage.served();
            input += usage.inputTokens();
            output += usage.outputTokens();
            ModelSpec.Price price = provider.spec().model(usage.model()).map(ModelSpec::price).orElse(null);
            if (price == null) {
                unpriced.add(provider.name() + "/" + usage.model());
                return;
            }
            value += StatusService.ValueView.worth(new UsageCounts(0, usage.inputTokens(), usage.outputTokens(), 0,
                    0, 0), price);
        }

        ClientReport.Usage usage(UsageRange range, ZoneId zone) {
            return new ClientReport.Usage(range.key(), zone.getId(), served, refused, input, output, value,
                    List.copyOf(unpriced));
        }
    }
}
