package dev.freeway.cache;

import dev.freeway.quota.LuaScript;

/**
 * The Lua that keeps expiring entries of one scope within a byte cap ({@code /capped/capped.lua}), shared by the
 * response cache's and the Responses store's put scripts; a script that uses it starts with its text, since Redis
 * scripts cannot call one another.
 */
public final class CappedKeeping {

    private static final String PRELUDE = "/capped/capped.lua";

    private CappedKeeping() {
    }

    /** The script at that resource path, after the shared functions. */
    public static LuaScript script(String resource) {
        return LuaScript.after(PRELUDE, resource);
    }
}
