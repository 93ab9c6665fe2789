package dev.freeway.config;

/** An API key. Its text only ever leaves through {@link #secret()}, into an outgoing request header. */
public final class Credential {

    private final String secret;

    public Credential(String secret) {
        this.secret = secret;
    }

    public String secret() {
        return secret;
    }

    /** Servers without auth (a local Ollama) are configured with the key "none". */
    public boolean isNone() {
        return "none".equalsIgnoreCase(secret);
    }

    @Override
    public String toString() {
        return "Credential[redacted]";
    }
}
