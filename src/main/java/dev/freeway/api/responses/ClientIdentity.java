package dev.freeway.api.responses;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Whose stored responses these are: a digest of the client key that created them (never the key), or
 * {@code anonymous} when the gateway has no client keys. The digest is domain-separated, so it is not the
 * {@code sha256:} form an operator may write in configuration.
 *
 * @param value hex digits, or {@code anonymous}; safe inside a Redis hash tag
 */
public record ClientIdentity(String value) {

    public static final ClientIdentity ANONYMOUS = new ClientIdentity("anonymous");

    /**
     * @param clientKeysConfigured whether {@code freeway.security.client-keys} is set
     * @param presentedKey         the key the request carried (Bearer or x-api-key), or null
     */
    public static ClientIdentity of(boolean clientKeysConfigured, String presentedKey) {
        if (!clientKeysConfigured || presentedKey == null || presentedKey.isBlank()) {
            return ANONYMOUS;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("freeway-responses\u0000" + presentedKey.trim()).getBytes(StandardCharsets.UTF_8));
            return new ClientIdentity(HexFormat.of().formatHex(digest, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    @Override
    public String toString() {
        return "ClientIdentity[" + value + "]";
    }
}
