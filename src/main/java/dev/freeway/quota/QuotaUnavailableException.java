package dev.freeway.quota;

/**
 * Redis could not be reached, or did not answer in time. The API maps it to a 503 in OpenAI's error shape; no other
 * candidate is tried, because every candidate needs the same Redis.
 */
public class QuotaUnavailableException extends RuntimeException {

    public QuotaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
