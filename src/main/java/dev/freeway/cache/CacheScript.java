package dev.freeway.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One of the cache's Lua scripts, read once, with the SHA-1 that EVALSHA names it by. */
final class CacheScript {

    static final CacheScript LOOKUP = new CacheScript("lookup", CappedKeeping.read("/cache/lookup.lua"));
    static final CacheScript PUT = new CacheScript("put", CappedKeeping.script("/cache/put.lua"));
    static final CacheScript FIGURES = new CacheScript("figures", CappedKeeping.read("/cache/figures.lua"));

    final String name;
    final String source;
    final String sha1;

    private CacheScript(String name, String source) {
        this.name = name;
        this.source = source;
        try {
            this.sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
