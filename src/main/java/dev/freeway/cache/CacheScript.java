package dev.freeway.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One of the cache's Lua scripts, read once, with the SHA-1 that EVALSHA names it by. */
final class CacheScript {

    static final CacheScript LOOKUP = new CacheScript("lookup",
            CacheScript.class.getResourceAsStream("/cache/lookup.lua"));
    static final CacheScript PUT = new CacheScript("put", CacheScript.class.getResourceAsStream("/cache/put.lua"));
    static final CacheScript FIGURES = new CacheScript("figures",
            CacheScript.class.getResourceAsStream("/cache/figures.lua"));

    final String name;
    final String source;
    final String sha1;

    private CacheScript(String name, InputStream resource) {
        this.name = name;
        try (InputStream in = resource) {
            if (in == null) {
                throw new IllegalStateException("missing script resource /cache/" + name + ".lua");
            }
            this.source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /cache/" + name + ".lua", e);
        }
        try {
            this.sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
