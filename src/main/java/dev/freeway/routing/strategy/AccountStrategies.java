package dev.freeway.routing.strategy;

import dev.freeway.config.LoadBalancing;
import dev.freeway.config.ProviderPool;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * Every {@link AccountStrategy} by the {@link LoadBalancing} value it carries out. Built at start-up, which fails
 * while a value has no strategy or two.
 */
@ApplicationScoped
@Startup
public class AccountStrategies {

    private final Map<LoadBalancing, AccountStrategy> byBalancing = new EnumMap<>(LoadBalancing.class);

    @Inject
    AccountStrategies(Instance<AccountStrategy> strategies) {
        this(StreamSupport.stream(strategies.spliterator(), false).toList());
    }

    public AccountStrategies(List<AccountStrategy> strategies) {
        for (AccountStrategy strategy : strategies) {
            AccountStrategy other = byBalancing.put(strategy.balancing(), strategy);
            if (other != null) {
                throw new IllegalStateException("two account strategies carry out " + strategy.balancing().key());
            }
        }
        for (LoadBalancing balancing : LoadBalancing.values()) {
            if (!byBalancing.containsKey(balancing)) {
                throw new IllegalStateException("no account strategy carries out " + balancing.key()
                        + ": add its AccountStrategy to dev.freeway.routing.strategy");
            }
        }
    }

    /** The strategy of this provider. */
    public AccountStrategy of(ProviderPool provider) {
        return byBalancing.get(provider.loadBalancing());
    }
}
