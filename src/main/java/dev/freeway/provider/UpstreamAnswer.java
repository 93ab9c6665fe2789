package dev.freeway.provider;

import java.util.List;
import java.util.Map;

/**
 * An HTTP answer from a provider as the classifier sees it.
 *
 * @param status  HTTP status; 200 for an error event that arrived inside a stream
 * @param headers response headers, names in lower case
 * @param body    the body text (for a stream: the error event's JSON)
 */
public record UpstreamAnswer(int status, Map<String, List<String>> headers, String body) {

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
