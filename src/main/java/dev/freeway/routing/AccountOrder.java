package dev.freeway.routing;

import dev.freeway.config.Account;
import dev.freeway.config.FreewayConfig;
import dev.freeway.quota.QuotaStore;
import dev.freeway.quota.QuotaUnavailableException;
import dev.freeway.quota.RoutingMemory;
import dev.freeway.quota.RuleUsage;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provider's account strategy: the order in which its accounts are offered a request. It only orders; the quota
 * engine's reserve still has the last word, so no strategy sends a call to an account that has no room.
 * <ul>
 *   <li>round_robin: a position in Redis shared by every instance; accounts without room are skipped by reserve</li>
 *   <li>least_used: lowest utilisation (the fullest of the account's rules) first</li>
 *   <li>weighted: remaining quota, task fit, latency and closeness to a limit, with configurable weights</li>
 *   <li>sticky: a conversation's account first while it has room, so the provider's prompt cache stays warm</li>
 * </ul>
 */
@ApplicationScoped
public class AccountOrder {

    private final QuotaStore quota;
    private final RoutingMemory memory;
    private final FreewayConfig.Weights weights;

    public AccountOrder(QuotaStore quota, RoutingMemory memory, FreewayConfig config) {
        this.quota = quota;
        this.memory = memory;
        this.weights = config.routing().weights();
    }

    public List<Account> order(Candidate candidate, RouteRequest request) {
        List<Account> accounts = candidate.provider().accounts();
        if (accounts.size() < 2) {
            return accounts;
        }
        return switch (candidate.provider().loadBalancing()) {
            case "least_used" -> leastUsed(candidate, accounts);
            case "weighted" -> weighted(candidate, request, accounts);
            case "sticky" -> sticky(candidate, request, accounts);
            default -> roundRobin(candidate, accounts);
        };
    }

    /** After a sticky provider served a conversation: remember which account did. */
    public void served(Candidate candidate, RouteRequest request, Account account, java.time.Duration stickFor) {
        if ("sticky".equals(candidate.provider().loadBalancing())) {
            memory.stick(candidate.provider().name(), request.conversationKey(), account.id(), stickFor);
        }
    }

    List<Account> roundRobin(Candidate candidate, List<Account> accounts) {
        long position = memory.nextPosition(candidate.provider().name(), candidate.model());
        int start = (int) Math.floorMod(position, (long) accounts.size());
        List<Account> rotated = new ArrayList<>(accounts.subList(start, accounts.size()));
        rotated.addAll(accounts.subList(0, start));
        return rotated;
    }

    private List<Account> leastUsed(Candidate candidate, List<Account> accounts) {
        Map<Account, Double> used = new HashMap<>();
        accounts.forEach(a -> used.put(a, utilisation(candidate, a)));
        List<Account> ordered = new ArrayList<>(accounts);
        ordered.sort(Comparator.comparingDouble(used::get));
        return ordered;
    }

    private List<Account> weighted(Candidate candidate, RouteRequest request, List<Account> accounts) {
        double fit = candidate.spec() == null ? 0.5 : candidate.spec().strengths().contains(request.task().key()) ? 1 : 0.5;
        Map<Account, Double> latency = new HashMap<>();
        accounts.forEach(a -> memory.latency(a.quotaId(), candidate.model()).ifPresent(ms -> latency.put(a, ms)));
        double fastest = latency.values().stream().min(Double::compare).orElse(1.0);
        Map<Account, Double> score = new HashMap<>();
        for (Account account : accounts) {
            double used = utilisation(candidate, account);
            double performance = latency.containsKey(account) ? fastest / Math.max(1, latency.get(account)) : 0.5;
            double proximity = used < 0.8 ? 0 : Math.min(1, (used - 0.8) / 0.2);
            score.put(account, weights.quota() * (1 - used) + weights.fit() * fit
                    + weights.performance() * performance + weights.proximity() * proximity);
        }
        List<Account> ordered = new ArrayList<>(accounts);
        ordered.sort(Comparator.comparingDouble((Account a) -> score.get(a)).reversed());
        return ordered;
    }

    private List<Account> sticky(Candidate candidate, RouteRequest request, List<Account> accounts) {
        List<Account> ordered = roundRobin(candidate, accounts);
        Optional<String> stuck = memory.stuckAccount(candidate.provider().name(), request.conversationKey());
        stuck.flatMap(id -> ordered.stream().filter(a -> a.id().equals(id)).findFirst()).ifPresent(account -> {
            ordered.remove(account);
            ordered.add(0, account);
        });
        return ordered;
    }

    /** The fullest of the account's rules for this model, 0 (empty) to 1 (full). */
    double utilisation(Candidate candidate, Account account) {
        var spec = candidate.provider().spec();
        List<RuleUsage> usage;
        try {
            usage = quota.snapshot(account.quotaId(), candidate.model(), account.rulesFor(spec, candidate.model()),
                    spec.resetZone());
        } catch (QuotaUnavailableException e) {
            return 0; // ordering is a preference; reserve decides, and reports Redis trouble itself
        }
        return usage.stream().filter(u -> u.limit() > 0).mapToDouble(u -> Math.min(1.0, (double) u.used() / u.limit()))
                .max().orElse(0);
    }
}
