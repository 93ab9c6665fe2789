package dev.freeway.quota;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua script from {@code src/main/resources/quota/}, read once, with the SHA-1 Redis knows it by. The digest is
 * computed here rather than asked of SCRIPT LOAD: on a cluster each master caches scripts separately, so the store
 * sends EVALSHA and falls back to EVAL on NOSCRIPT, which caches the script on whichever node answered. The scripts
 * that decide (reserve, settle, park) start with {@code prelude.lua}: Redis scripts cannot call one another. Other
 * rooms' scripts (the response cache, the Responses store) are made with {@link #at} or {@link #after} and run
 * through the same
 * {@link RedisScripts}.
 */
public final class LuaScript {

    static final LuaScript RESERVE = withPrelude("reserve");
    static final LuaScript SETTLE = withPrelude("settle");
    static final LuaScript PARK = withPrelude("park");
    static final LuaScript KEEP_ALIVE = withPrelude("keep-alive");
    static final LuaScript SNAPSHOT = load("snapshot");
    static final LuaScript LEDGER = load("ledger");
    static final LuaScript COUNTER = load("counter");
    static final LuaScript STICKY_TURN = load("sticky-turn");
    static final LuaScript STICKY_MOVE = withPrelude("sticky-move");
    /** Every script, so start-up can load them all before the first request. */
    static final java.util.List<LuaScript> ALL = java.util.List.of(RESERVE, SETTLE, PARK, KEEP_ALIVE, SNAPSHOT, LEDGER,
            COUNTER, STICKY_TURN, STICKY_MOVE);

    final String name;
    final String source;
    final String sha1;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1(source);
    }

    /** A script of another room, read from its resource path (which also names it in errors). */
    public static LuaScript at(String path) {
        return new LuaScript(path, read(path));
    }

    /** The same, after the text of a prelude resource its room shares between scripts. */
    public static LuaScript after(String prelude, String path) {
        return new LuaScript(path, read(prelude) + "\n" + read(path));
    }

    static LuaScript load(String name) {
        return new LuaScript(name, text(name));
    }

    private static LuaScript withPrelude(String name) {
        return new LuaScript(name, text("prelude") + "\n" + text(name));
    }

    private static String text(String name) {
        return read("/quota/" + name + ".lua");
    }

    private static String read(String path) {
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
