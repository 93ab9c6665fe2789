package dev.freeway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A key kept only as its SHA-256 digest. Configuration may give the key itself or {@code sha256:<hex>}; either way
 * the text is hashed once and dropped, and every comparison is constant-time over the digests.
 */
public final class KeyDigest {

    private static final String PREFIX = "sha256:";

    private final byte[] digest;

    private KeyDigest(byte[] digest) {
        this.digest = digest;
    }

    /**
     * Reads a configured key.
     *
     * @param setting the configuration key it came from, named in the error (the value never is)
     */
    public static KeyDigest parse(String configured, String setting) {
        String text = configured.trim();
        if (text.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            String hex = text.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(setting + " starts with sha256: but is not followed by 64 hex"
                        + " digits; write the key itself, or sha256: and the hex SHA-256 of the key"
                        + " (printf %s KEY | sha256sum)");
            }
            return new KeyDigest(HexFormat.of().parseHex(hex));
        }
        return new KeyDigest(sha256(text));
    }

    /** Whether a presented key is this one. Constant-time in the key's content. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented.trim()));
    }

    /** Whether a presented key is any of these; every digest is compared, so timing says nothing about which. */
    public static boolean anyMatches(List<KeyDigest> keys, String presented) {
        if (presented == null) {
            return false;
        }
        byte[] candidate = sha256(presented.trim());
        boolean found = false;
        for (KeyDigest key : keys) {
            found |= MessageDigest.isEqual(key.digest, candidate);
        }
        return found;
    }

    /**
     * A name for this key in state kept per client (the response cache's scopes): 32 hex digits of a digest of this
     * digest under {@code domain}, so it is neither the key nor the {@code sha256:} form an operator may configure.
     */
    public String tag(String domain) {
        return tag(domain, digest);
    }

    /** The tag a presented key would have, whether or not it is configured. */
    static String tagOf(String presented, String domain) {
        return tag(domain, sha256(presented.trim()));
    }

    private static String tag(String domain, byte[] digest) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((domain + "\u0000").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(digest), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    /** The digest, as the secret that signs dashboard sessions: the key itself is never kept. */
    byte[] bytes() {
        return digest.clone();
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }

    @Override
    public String toString() {
        return "KeyDigest[redacted]";
    }
}
