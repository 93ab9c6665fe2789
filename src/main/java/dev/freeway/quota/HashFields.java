package dev.freeway.quota;

import io.vertx.mutiny.redis.client.Response;

import java.util.function.BiConsumer;

/** A hash as ledger.lua returns it (HGETALL's flat field, value, field, value …), read field by field. */
final class HashFields {

    private HashFields() {
    }

    /** Each field with its whole-number value, in the order Redis gave them. */
    static void each(Response flat, BiConsumer<String, Long> field) {
        for (int j = 0; j + 1 < flat.size(); j += 2) {
            field.accept(flat.get(j).toString(), flat.get(j + 1).toLong());
        }
    }
}
