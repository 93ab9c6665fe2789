package dev.freeway.quota;

import java.util.Locale;

/** Why an account or model is parked; stored with the parking so that status and routing never read free text. */
public enum ParkingKind {
    /** a window or grant of the provider's ran out */
    EXHAUSTED,
    /** the provider asked to wait a moment (rate-limited, overloaded) */
    RATE_LIMITED,
    /** the provider refused the account's key */
    CREDENTIALS_REJECTED;

    /** The word stored in Redis. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a stored word names, or null for a word that is none (a parking stored before kinds were). */
    static ParkingKind parse(String word) {
        for (ParkingKind kind : values()) {
            if (kind.key().equals(word)) {
                return kind;
            }
        }
        return null;
    }
}
