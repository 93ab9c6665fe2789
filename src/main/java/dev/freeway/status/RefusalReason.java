package dev.freeway.status;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a client was refused, as the request path counts it for each provider a refused request tried (the hourly
 * hash's {@code <reason>:<provider>} fields; {@code RequestRecord.reasons}). A request counts once per provider,
 * under the strongest reason among that provider's candidates, in this order.
 */
public enum RefusalReason {
    /** a limit rule had no room, or the provider said it was exhausted or rate-limited */
    NO_ROOM("no room"),
    /** parked after the provider said to wait */
    PARKED("parked"),
    /** the provider refused the account's key, now or when it was parked for it */
    KEY_REFUSED("key refused"),
    /** the provider failed, timed out, or its circuit was open */
    UPSTREAM_FAILING("upstream failing"),
    /** no window of a rule could ever hold the request */
    NEVER_FITS("never fits"),
    /** the provider refused the request itself (a client error, a content filter) */
    CLIENT_ERROR("client error");

    private final String label;

    RefusalReason(String label) {
        this.label = label;
    }

    /** As stored and in JSON: no_room, parked, key_refused, upstream_failing, never_fits, client_error. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** In words, for the dashboard. */
    public String label() {
        return label;
    }

    static Optional<RefusalReason> parse(String key) {
        for (RefusalReason reason : values()) {
            if (reason.key().equals(key)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }
}
