package dev.freeway.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The dashboard's login cookie: {@code <expiry epoch seconds>.<HMAC-SHA256 of "freeway-admin:<expiry>">}, keyed with
 * the admin key's SHA-256. It holds neither the key nor its digest, needs no server-side session (any instance can
 * check it), ends by itself, and every cookie stops working when the admin key changes.
 */
final class AdminSession {

    static final String COOKIE = "freeway_admin";

    private AdminSession() {
    }

    static String issue(KeyDigest admin, Instant now, Duration life) {
        long expires = now.plus(life).getEpochSecond();
        return expires + "." + sign(admin, expires);
    }

    static boolean valid(KeyDigest admin, String cookie, Instant now) {
        if (cookie == null) {
            return false;
        }
        int dot = cookie.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        long expires;
        try {
            expires = Long.parseLong(cookie.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] expected = sign(admin, expires).getBytes(StandardCharsets.US_ASCII);
        byte[] presented = cookie.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, presented) && now.getEpochSecond() < expires;
    }

    private static String sign(KeyDigest admin, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(admin.bytes(), "HmacSHA256"));
            byte[] tag = mac.doFinal(("freeway-admin:" + expires).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always present", e);
        }
    }
}
