package dev.freeway.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Lua that keeps expiring entries of one scope within a byte cap ({@code /capped/capped.lua}), shared by the
 * response cache's and the Responses store's put scripts; a script that uses it starts with its text, since Redis
 * scripts cannot call one another.
 */
public final class CappedKeeping {

    private static final String PRELUDE = read("/capped/capped.lua");

    private CappedKeeping() {
    }

    /** The script at that resource path, after the shared functions. */
    public static String script(String resource) {
        return PRELUDE + "\n" + read(resource);
    }

    public static String read(String resource) {
        try (InputStream in = CappedKeeping.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
