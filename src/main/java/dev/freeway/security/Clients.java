package dev.freeway.security;

import dev.freeway.catalog.LimitRule;
import dev.freeway.config.InvalidConfigurationException;
import dev.freeway.config.PoolBuilder;
import dev.freeway.routing.ClientScope;
import dev.freeway.routing.NamedClients;
import dev.freeway.routing.task.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The named clients of {@code freeway.security.clients}, read once at start-up: a mistake (a bad rule, a per-model
 * rule, an unknown task, a missing key) stops start-up naming the setting.
 */
@ApplicationScoped
public class Clients implements NamedClients {

    private final List<Client> all;

    @Inject
    public Clients(SecurityConfig config) {
        this(config.clients());
    }

    public Clients(Map<String, SecurityConfig.ClientConfig> configured) {
        List<String> mistakes = new ArrayList<>();
        List<Client> clients = new ArrayList<>();
        configured.forEach((name, client) -> read(name, client, mistakes).ifPresent(clients::add));
        if (!mistakes.isEmpty()) {
            throw new InvalidConfigurationException(mistakes);
        }
        // by name: a configuration map keeps no order, and status, metrics and the dashboard should not shuffle
        clients.sort(java.util.Comparator.comparing(Client::name));
        this.all = List.copyOf(clients);
    }

    public List<Client> all() {
        return all;
    }

    /** Each client as routing and status know it: its name, rules, models and tasks, never its key. */
    @Override
    public List<ClientScope> scopes() {
        return all.stream().map(Clients::scope).toList();
    }

    /** What routing must honour of this client. */
    public static ClientScope scope(Client client) {
        return new ClientScope(client.name(), client.rules(), client.models(), client.tasks());
    }

    /** The client whose key this is, if it is a named client's. */
    public Optional<Client> byKey(String presented) {
        return presented == null ? Optional.empty() : all.stream().filter(c -> c.key().matches(presented)).findFirst();
    }

    private static Optional<Client> read(String name, SecurityConfig.ClientConfig config, List<String> mistakes) {
        String where = "freeway.security.clients." + name;
        if (name.isBlank() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
            mistakes.add(where + ": a client's name is letters, digits, '-' and '_'");
            return Optional.empty();
        }
        if (config.key() == null || config.key().isBlank()) {
            mistakes.add(where + ".key: missing; set key: ${TEAMMATE_KEY} or sha256:<hex>");
            return Optional.empty();
        }
        List<LimitRule> rules = new ArrayList<>();
        List<dev.freeway.config.FreewayConfig.LimitConfig> limits = config.limits().orElse(List.of());
        for (int i = 0; i < limits.size(); i++) {
            try {
                LimitRule rule = PoolBuilder.rule(limits.get(i));
                if (rule.scope() == LimitRule.Scope.MODEL) {
                    mistakes.add(where + ".limits[" + i + "]: a client's rules are for the whole client; drop per-model");
                } else if (rule.metric() == LimitRule.Metric.CREDITS) {
                    mistakes.add(where + ".limits[" + i + "]: credits are priced per model, unknown before routing;"
                            + " limit the client's requests or tokens");
                } else {
                    rules.add(rule);
                }
            } catch (RuntimeException e) {
                mistakes.add(where + ".limits[" + i + "]: " + e.getMessage());
            }
        }
        Set<String> tasks = new LinkedHashSet<>();
        for (String task : config.tasks().orElse(List.of())) {
            Task.parse(task).ifPresentOrElse(t -> tasks.add(t.key()), () -> mistakes.add(where + ".tasks: unknown task '"
                    + task + "'; use coding, reasoning, simple, creative or max_context"));
        }
        KeyDigest key;
        try {
            key = KeyDigest.parse(config.key().trim(), where + ".key");
        } catch (RuntimeException e) {
            mistakes.add(e.getMessage());
            return Optional.empty();
        }
        return Optional.of(new Client(name, key, List.copyOf(rules), Set.copyOf(config.models().orElse(List.of())),
                Set.copyOf(tasks)));
    }
}
