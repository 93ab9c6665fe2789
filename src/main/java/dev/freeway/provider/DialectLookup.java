package dev.freeway.provider;

import dev.freeway.catalog.DialectName;

/** The dialect of each provider family a catalog entry names; {@code provider.dialect} provides the one bean. */
public interface DialectLookup {

    FamilyDialect of(DialectName name);
}
