package dev.freeway.quota;

/**
 * What one named client did through one model (served) or at the pool (refused) over some hours: kept in the
 * hourly client hashes ({@link QuotaKeys#clients}), each field {@code <figure>:<client>[:<model>]}. Names only,
 * never a key.
 *
 * @param client       the client's name in configuration
 * @param model        the model that served it, as the serving account's provider names it; empty for refusals
 * @param served       requests served
 * @param inputTokens  prompt tokens of those requests
 * @param outputTokens completion tokens of those requests
 * @param refused      requests refused after routing began (by the client's own limit, its permissions or the pool)
 */
public record ClientUsage(String client, String model, long served, long inputTokens, long outputTokens,
                          long refused) {

    static final String SERVED = "served";
    static final String INPUT = "input_tokens";
    static final String OUTPUT = "output_tokens";
    static final String REFUSED = "refused";

    /** A field of the client hashes; client names hold no colon, so the model may. */
    static String field(String figure, String client, String model) {
        return model == null ? figure + ":" + client : figure + ":" + client + ":" + model;
    }

    /** One field as read back, or null when it is not a client figure. */
    static ClientUsage parse(String field, long count) {
        int first = field.indexOf(':');
        if (first <= 0) {
            return null;
        }
        int second = field.indexOf(':', first + 1);
        String client = second < 0 ? field.substring(first + 1) : field.substring(first + 1, second);
        String model = second < 0 ? "" : field.substring(second + 1);
        if (client.isEmpty()) {
            return null;
        }
        return switch (field.substring(0, first)) {
            case SERVED -> new ClientUsage(client, model, count, 0, 0, 0);
            case INPUT -> new ClientUsage(client, model, 0, count, 0, 0);
            case OUTPUT -> new ClientUsage(client, model, 0, 0, count, 0);
            case REFUSED -> new ClientUsage(client, model, 0, 0, 0, count);
            default -> null;
        };
    }

    public ClientUsage plus(ClientUsage other) {
        return new ClientUsage(client, model, served + other.served, inputTokens + other.inputTokens,
                outputTokens + other.outputTokens, refused + other.refused);
    }
}
