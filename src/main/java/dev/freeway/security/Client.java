package dev.freeway.security;

import dev.freeway.catalog.LimitRule;

import java.util.List;
import java.util.Set;

/**
 * A named client of the pool.
 *
 * @param name   its name in configuration; shown in status and the dashboard, never its key
 * @param key    the digest its key is compared with
 * @param rules  its own limit rules (empty: only the accounts' limits apply)
 * @param models what it may use ({@code provider/model}, {@code provider}, {@code auto}); empty = anything
 * @param tasks  the tasks it may ask for; empty = any
 */
public record Client(String name, KeyDigest key, List<LimitRule> rules, Set<String> models, Set<String> tasks) {
}
