package dev.freeway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.freeway.config.Pool;
import dev.freeway.routing.RouteRequest;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeMap;

/**
 * The key of a kept answer: SHA-256 of a canonical JSON of everything that decides the answer. That is the front
 * door, the task (it picks the candidates of {@code auto}), the model as the client asked for it (an alias replaced
 * by what it stands for, so {@code gpt-4o} and its target share answers), and the request routing sends on —
 * messages, tools, tool_choice, response_format, temperature, top_p, seed, n, max_tokens, stop and every other field
 * — except the fields that change only the answer's form or bookkeeping: {@code stream} and {@code stream_options}
 * (a kept answer serves both forms), {@code user}, {@code metadata} and {@code store}. Never the client key: scopes
 * keep clients apart ({@link CacheScope}).
 *
 * <p>Canonical: object fields sorted by name at every depth, numbers written the same however the client spelled
 * them ({@code 0}, {@code 0.0}, {@code 0e0}), strings in JSON's escaping. So two requests differing only in field
 * order or number spelling share a key, and any difference in content does not.
 */
public final class CacheKey {

    private static final Set<String> NOT_THE_ANSWER = Set.of("stream", "stream_options", "user", "metadata", "store");

    private CacheKey() {
    }

    /** 64 hex digits. */
    public static String of(RouteRequest route, Pool pool) {
        String model = route.model() == null ? "" : route.model().trim();
        StringBuilder text = new StringBuilder(256).append("{\"endpoint\":");
        string(route.endpoint().label(), text);
        text.append(",\"model\":");
        string(pool.alias(model).orElse(model), text);
        text.append(",\"request\":{");
        TreeMap<String, JsonNode> fields = new TreeMap<>();
        route.body().fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue()));
        fields.keySet().removeAll(NOT_THE_ANSWER);
        fields.remove("model");
        boolean first = true;
        for (var field : fields.entrySet()) {
            text.append(first ? "" : ",");
            first = false;
            string(field.getKey(), text);
            text.append(':');
            canonical(field.getValue(), text);
        }
        text.append("},\"task\":");
        string(route.task().key(), text);
        // A named client's allowed models decide which model may answer it, and its allowed tasks whether it may
        // ask at all: answers are shared only among clients allowed the same ones, so a shared cache never hands one
        // to a client it could not have been routed to, or that routing would have refused.
        listed("models", route.trace().client().models(), text);
        listed("tasks", route.trace().client().tasks(), text);
        text.append('}');
        return sha256(text.toString());
    }

    /** A client's allow-list in the key, sorted; nothing when it allows everything. */
    private static void listed(String name, java.util.Set<String> allowed, StringBuilder text) {
        if (allowed.isEmpty()) {
            return;
        }
        text.append(",\"").append(name).append("\":[");
        String separator = "";
        for (String entry : new java.util.TreeSet<>(allowed)) {
            text.append(separator);
            separator = ",";
            string(entry, text);
        }
        text.append(']');
    }

    /** The canonical JSON of a value, as the key hashes it. */
    static String canonical(JsonNode value) {
        StringBuilder text = new StringBuilder();
        canonical(value, text);
        return text.toString();
    }

    private static void canonical(JsonNode value, StringBuilder text) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            text.append("null");
        } else if (value.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            value.fields().forEachRemaining(f -> sorted.put(f.getKey(), f.getValue()));
            text.append('{');
            boolean first = true;
            for (var field : sorted.entrySet()) {
                text.append(first ? "" : ",");
                first = false;
                string(field.getKey(), text);
                text.append(':');
                canonical(field.getValue(), text);
            }
            text.append('}');
        } else if (value.isArray()) {
            text.append('[');
            for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
                canonical(it.next(), text);
                text.append(it.hasNext() ? "," : "");
            }
            text.append(']');
        } else if (value.isNumber()) {
            text.append(number(value));
        } else if (value.isTextual()) {
            string(value.asText(), text);
        } else {
            text.append(value.toString()); // true, false
        }
    }

    private static String number(JsonNode value) {
        BigDecimal decimal = value.isIntegralNumber() ? new BigDecimal(value.bigIntegerValue()) : value.decimalValue();
        return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
    }

    private static void string(String value, StringBuilder text) {
        text.append(TextNode.valueOf(value).toString());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }
}
