package dev.freeway.quota;

/**
 * Redis could not be reached, or did not answer in time. The API maps it to a 503 in OpenAI's error shape; no other
 * candidate is tried, because every candidate needs the same Redis.
 */
public class QuotaUnavailableException extends RuntimeException {

    private final boolean refused;

    public QuotaUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    QuotaUnavailableException(String message, Throwable cause, boolean refused) {
        super(message, cause);
        this.refused = refused;
    }

    /**
     * Whether Redis answered, with an error (a script refusing its arguments, a key of another type): sending the
     * same call again gets the same answer.
     */
    public boolean refused() {
        return refused;
    }
}
