package dev.freeway.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * What follows from the pool for every package: the keys to cut out of what providers send back, and what start-up
 * says about the pool (the demo's {@code ServedPool} builds it).
 */
@ApplicationScoped
public class PoolProducer {

    private static final Logger LOG = Logger.getLogger(PoolProducer.class);

    /** Says at start-up what the pool holds and what its configuration's remarks are; never a key. */
    public static void report(Pool pool) {
        pool.all().forEach(provider -> {
            LOG.infof("Provider %s: %d account(s) %s, %s balancing, %s", provider.name(), provider.accounts().size(),
                    provider.accounts().stream().map(Account::id).toList(), provider.loadBalancing().key(),
                    provider.spec().baseUrl());
            termsWarning(provider).ifPresent(LOG::warn);
        });
        pool.remarks().forEach(remark -> {
            if (remark.warning()) {
                LOG.warn(remark.text());
            } else {
                LOG.info(remark.text());
            }
        });
    }

    /** Every configured key, to cut out of anything a provider sends back. */
    @Produces
    @Singleton
    Secrets secrets(Pool pool) {
        return Secrets.of(pool);
    }

    /** What start-up (and the configuration check) warns when a provider's terms restrict pooling accounts. */
    public static Optional<String> termsWarning(ProviderPool provider) {
        if (provider.accounts().size() <= 1 || !provider.spec().poolingRestricted()) {
            return Optional.empty();
        }
        return Optional.of(String.format("Provider %s has %d accounts, and its terms restrict pooling accounts: %s "
                        + "Freeway enforces each account's published limits and never works around them; "
                        + "use several accounts only where you legitimately hold them.",
                provider.name(), provider.accounts().size(), provider.spec().terms()));
    }
}
