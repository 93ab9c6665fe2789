package dev.freeway.catalog;

/**
 * A catalog entry that cannot be turned into Freeway's records. The message names where the problem is
 * (provider, model, key) so that a user can fix a configuration file without reading code.
 */
public final class CatalogException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
