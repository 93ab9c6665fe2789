package dev.freeway.provider.dialect;

import dev.freeway.catalog.DialectName;
import dev.freeway.provider.DialectLookup;
import dev.freeway.provider.FamilyDialect;
import jakarta.enterprise.context.ApplicationScoped;

/** {@link Dialects} as the bean the provider asks, so that the provider package never names a dialect class. */
@ApplicationScoped
public class DialectRegistry implements DialectLookup {

    @Override
    public FamilyDialect of(DialectName name) {
        return Dialects.of(name);
    }
}
