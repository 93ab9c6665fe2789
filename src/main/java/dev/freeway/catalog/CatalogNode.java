package dev.freeway.catalog;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One YAML mapping of the catalog together with where it sits ("provider 'groq', model 'x'"), so that every
 * typed read can fail with a message naming the provider, model and key. Reads by hand, without data binding,
 * to keep the native image free of reflection.
 */
final class CatalogNode {

    private final JsonNode node;
    private final String where;

    private CatalogNode(JsonNode node, String where) {
        this.node = node;
        this.where = where;
    }

    /** A mapping at {@code where}; fails when the node is not a mapping. */
    static CatalogNode mapping(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new CatalogException(where + ": expected a mapping of keys to values, found " + describe(node));
        }
        return new CatalogNode(node, where);
    }

    String where() {
        return where;
    }

    /** Fails on the first key outside {@code allowed}: a misspelt key would otherwise be silently ignored. */
    void allowOnly(Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw fail(name, "unknown key (use " + String.join(", ", allowed) + ")");
            }
        }
    }

    /** A nested mapping, located as {@code where, key}. */
    CatalogNode child(String key) {
        return mapping(required(key), where + ", " + key);
    }

    boolean has(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    String text(String key) {
        String value = optionalText(key);
        if (value == null || value.isBlank()) {
            throw fail(key, "required text is missing or empty");
        }
        return value;
    }

    /** Text that may be absent (null) or empty, such as an auth prefix of "". */
    String optionalText(String key) {
        if (!has(key)) {
            return null;
        }
        JsonNode value = node.get(key);
        if (!value.isTextual()) {
            throw fail(key, "expected text, found " + describe(value));
        }
        return value.asText();
    }

    boolean bool(String key) {
        JsonNode value = required(key);
        if (!value.isBoolean()) {
            throw fail(key, "expected true or false, found " + describe(value));
        }
        return value.booleanValue();
    }

    /** An optional true/false, {@code otherwise} when absent. */
    boolean bool(String key, boolean otherwise) {
        return has(key) ? bool(key) : otherwise;
    }

    int positiveInt(String key) {
        JsonNode value = required(key);
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() <= 0) {
            throw fail(key, "expected a whole number above zero, found " + describe(value));
        }
        return value.intValue();
    }

    long nonNegativeLong(String key) {
        JsonNode value = required(key);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw fail(key, "expected a whole number of zero or more, found " + describe(value));
        }
        return value.longValue();
    }

    double nonNegativeDouble(String key) {
        JsonNode value = required(key);
        if (!value.isNumber() || value.doubleValue() < 0) {
            throw fail(key, "expected a number of zero or more, found " + describe(value));
        }
        return value.doubleValue();
    }

    /** A list of words, each one of {@code allowed} (null = any); absent means empty. Keeps the file's order. */
    Set<String> words(String key, Set<String> allowed) {
        Set<String> words = new LinkedHashSet<>();
        for (JsonNode item : sequence(key)) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw fail(key, "expected a list of words, found an item " + describe(item));
            }
            if (allowed != null && !allowed.contains(item.asText())) {
                throw fail(key, "unknown value '" + item.asText() + "' (use " + String.join(", ", allowed) + ")");
            }
            words.add(item.asText());
        }
        return Collections.unmodifiableSet(words);
    }

    /** A list of whole numbers above zero, in the file's order; absent means empty. */
    Set<Integer> positiveInts(String key) {
        Set<Integer> numbers = new LinkedHashSet<>();
        for (JsonNode item : sequence(key)) {
            if (!item.isIntegralNumber() || !item.canConvertToInt() || item.intValue() <= 0) {
                throw fail(key, "expected a list of whole numbers above zero, found an item " + describe(item));
            }
            numbers.add(item.intValue());
        }
        return Collections.unmodifiableSet(numbers);
    }

    /** Mappings of a list, each located as {@code key[i]}; absent means empty. */
    List<CatalogNode> mappings(String key) {
        List<CatalogNode> items = new ArrayList<>();
        int index = 0;
        for (JsonNode item : sequence(key)) {
            items.add(mapping(item, where + ", " + key + "[" + index++ + "]"));
        }
        return items;
    }

    /** The named entries of a mapping value (providers, models, retired ids), located by {@code label}. */
    Map<String, CatalogNode> entries(String key, String label) {
        Map<String, CatalogNode> entries = new LinkedHashMap<>();
        if (!has(key)) {
            return entries;
        }
        JsonNode value = node.get(key);
        if (!value.isObject()) {
            throw fail(key, "expected a mapping of ids to entries, found " + describe(value));
        }
        value.fields().forEachRemaining(field -> entries.put(field.getKey(),
                mapping(field.getValue(), where + ", " + label + " '" + field.getKey() + "'")));
        return entries;
    }

    /** A mapping of parameter names to plain values (numbers, text, booleans, lists, mappings). */
    Map<String, Object> values(String key) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (!has(key)) {
            return Collections.unmodifiableMap(values);
        }
        JsonNode value = node.get(key);
        if (!value.isObject()) {
            throw fail(key, "expected a mapping of parameter names to values, found " + describe(value));
        }
        value.fields().forEachRemaining(field -> values.put(field.getKey(), plain(key + "." + field.getKey(), field.getValue())));
        return Collections.unmodifiableMap(values);
    }

    CatalogException fail(String key, String message) {
        return new CatalogException(where + ", key '" + key + "': " + message);
    }

    private JsonNode required(String key) {
        if (!has(key)) {
            throw fail(key, "required value is missing");
        }
        return node.get(key);
    }

    private Iterable<JsonNode> sequence(String key) {
        if (!has(key)) {
            return List.of();
        }
        JsonNode value = node.get(key);
        if (!value.isArray()) {
            throw fail(key, "expected a list, found " + describe(value));
        }
        return value;
    }

    private Object plain(String key, JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToInt() ? (Object) value.intValue() : (Object) value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isArray()) {
            List<Object> items = new ArrayList<>();
            value.forEach(item -> items.add(plain(key, item)));
            return Collections.unmodifiableList(items);
        }
        if (value.isObject()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            value.fields().forEachRemaining(f -> fields.put(f.getKey(), plain(key + "." + f.getKey(), f.getValue())));
            return Collections.unmodifiableMap(fields);
        }
        throw fail(key, "expected a value, found " + describe(value));
    }

    private static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        if (value.isNull()) {
            return "null";
        }
        return value.getNodeType().name().toLowerCase() + " " + value;
    }
}
