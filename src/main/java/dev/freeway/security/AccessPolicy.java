package dev.freeway.security;

import dev.freeway.demo.DemoProviders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which endpoints need which key, and whether a request presents it. Keys are held only as SHA-256 digests
 * ({@link KeyDigest}); the dashboard's login cookie is an HMAC ({@link AdminSession}), never a key.
 */
@ApplicationScoped
public class AccessPolicy {

    /** Admin endpoints: everything about the pool's state. Health is left out on purpose: probes carry no keys. */
    private static final List<String> ADMIN_PATHS = List.of("/v1/status", "/v1/capacity", "/v1/requests", "/dashboard",
            "/q/");
    /** Every front door: chat, responses, completions, embeddings, messages and models. */
    private static final List<String> CLIENT_PATHS = List.of("/v1/");
    private static final List<String> OPEN_PATHS = List.of("/q/health", "/dashboard/login");

    static final String NO_ADMIN_KEY = "Admin endpoints are locked because no admin key is configured. Set"
            + " freeway.security.admin-key (environment variable FREEWAY_SECURITY_ADMIN_KEY; the key itself or"
            + " sha256:<hex of its SHA-256>), or for a gateway on localhost only, freeway.security.open-admin=true.";
    static final String ADMIN_KEY_NEEDED = "This endpoint needs the admin key: send it as Authorization: Bearer"
            + " <admin key> or in the x-freeway-admin-key header, or log in at /dashboard/login.";
    static final String ADMIN_KEY_WRONG = "The admin key presented is not this gateway's admin key.";
    static final String CLIENT_KEY_NEEDED = "You didn't provide an API key. This gateway needs one of its client keys"
            + " in the Authorization header (Authorization: Bearer <key>).";
    static final String CLIENT_KEY_WRONG = "Incorrect API key provided. It is not one of this gateway's client keys.";

    /** Who an endpoint is for. */
    public enum Area {
        /** status, capacity, dashboard, metrics: the admin key */
        ADMIN,
        /** the OpenAI surface: a client key, when any is configured */
        CLIENT,
        /** health probes, the login form, and anything unknown (which answers 404 anyway) */
        OPEN
    }

    /**
     * What a request presented.
     *
     * @param bearer      the token of {@code Authorization: Bearer}
     * @param adminHeader {@code x-freeway-admin-key}
     * @param cookie      the dashboard login cookie
     */
    public record Presented(String bearer, String adminHeader, String cookie) {
    }

    private final Optional<KeyDigest> admin;
    private final List<KeyDigest> clients;
    private final boolean openAdmin;
    private final boolean openDemo;
    private final Duration sessionLife;
    private final Clock clock;

    /**
     * A demo on loopback with no admin key opens the admin endpoints: only this machine can reach them, and a
     * newcomer trying the demo has no key to type.
     */
    @Inject
    public AccessPolicy(SecurityConfig config, Clock clock, DemoProviders demo) {
        this(config, clock, demo.onLoopbackOnly());
    }

    public AccessPolicy(SecurityConfig config, Clock clock) {
        this(config, clock, false);
    }

    public AccessPolicy(SecurityConfig config, Clock clock, boolean demoOnLoopback) {
        this.admin = config.adminKey().filter(k -> !k.isBlank())
                .map(k -> KeyDigest.parse(k, "freeway.security.admin-key"));
        List<KeyDigest> keys = new java.util.ArrayList<>(config.clientKeys().orElse(List.of()).stream()
                .filter(k -> !k.isBlank()).map(k -> KeyDigest.parse(k, "freeway.security.client-keys")).toList());
        config.clients().forEach((name, client) -> {
            if (client.key() != null && !client.key().isBlank()) {
                keys.add(KeyDigest.parse(client.key().trim(), "freeway.security.clients." + name + ".key"));
            }
        });
        this.clients = List.copyOf(keys);
        this.openDemo = demoOnLoopback && admin.isEmpty() && !config.openAdmin();
        this.openAdmin = config.openAdmin() || openDemo;
        this.sessionLife = config.sessionDuration();
        this.clock = clock;
    }

    /**
     * The area of a request path: the stricter of the path as written and as the REST layer routes it
     * ({@link #routed}). Matching ignores case and stops at a segment's end, so no spelling of an admin path that
     * either router would take slips through as open.
     */
    public static Area areaOf(String path) {
        String written = path == null ? "/" : path;
        Area asWritten = classified(written.toLowerCase(Locale.ROOT));
        Area asRouted = classified(routed(written).toLowerCase(Locale.ROOT));
        return asWritten.ordinal() <= asRouted.ordinal() ? asWritten : asRouted; // ADMIN, then CLIENT, then OPEN
    }

    private static Area classified(String p) {
        if (OPEN_PATHS.stream().anyMatch(prefix -> under(p, prefix))) {
            return Area.OPEN;
        }
        if (ADMIN_PATHS.stream().anyMatch(prefix -> under(p, prefix))) {
            return Area.ADMIN;
        }
        if (CLIENT_PATHS.stream().anyMatch(prefix -> under(p, prefix))) {
            return Area.CLIENT;
        }
        return Area.OPEN;
    }

    /**
     * The path the REST layer matches: every segment without its matrix parameters (from a {@code ;} to the
     * segment's end), then percent-decoded. Quarkus REST routes {@code /v1;x/status} and {@code /v1%2Fstatus} to
     * {@code /v1/status}, so access must be decided on that path, not on the one the client wrote. Dot segments that
     * decoding brings out ({@code %2E%2E}, {@code ..%2F}) are resolved too, in case a router resolves them later.
     */
    public static String routed(String path) {
        if (path == null) {
            return "/";
        }
        if (path.indexOf(';') < 0 && path.indexOf('%') < 0) {
            return path;
        }
        StringBuilder decoded = new StringBuilder(path.length());
        for (String segment : path.split("/", -1)) {
            int matrix = segment.indexOf(';');
            decoded.append(decoded(matrix < 0 ? segment : segment.substring(0, matrix))).append('/');
        }
        java.util.Deque<String> kept = new java.util.ArrayDeque<>();
        String[] segments = decoded.substring(0, decoded.length() - 1).split("/", -1);
        for (String segment : segments) {
            if (segment.equals("..")) {
                if (kept.size() > 1) {
                    kept.removeLast();
                }
            } else if (!segment.equals(".")) {
                kept.addLast(segment);
            }
        }
        String last = segments[segments.length - 1];
        return String.join("/", kept) + (last.equals(".") || last.equals("..") ? "/" : "");
    }

    /** Percent-decoded as UTF-8, a '+' kept as it is (a path is not a form); a broken escape is kept as written. */
    private static String decoded(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            int high = c == '%' && i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
            int low = high < 0 ? -1 : Character.digit(segment.charAt(i + 2), 16);
            if (low >= 0) {
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] raw = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
            }
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean under(String path, String prefix) {
        if (prefix.endsWith("/")) {
            return path.startsWith(prefix);
        }
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    /** Why a request may not go on, or empty when it may. */
    public Optional<String> refusal(Area area, Presented presented) {
        switch (area) {
            case ADMIN:
                return adminRefusal(presented);
            case CLIENT:
                if (clients.isEmpty() || KeyDigest.anyMatches(clients, presented.bearer())) {
                    return Optional.empty();
                }
                return Optional.of(presented.bearer() == null ? CLIENT_KEY_NEEDED : CLIENT_KEY_WRONG);
            default:
                return Optional.empty();
        }
    }

    private Optional<String> adminRefusal(Presented presented) {
        if (openAdmin) {
            return Optional.empty();
        }
        if (admin.isEmpty()) {
            return Optional.of(NO_ADMIN_KEY);
        }
        KeyDigest key = admin.get();
        if (key.matches(presented.adminHeader()) || key.matches(presented.bearer())
                || AdminSession.valid(key, presented.cookie(), clock.instant())) {
            return Optional.empty();
        }
        boolean triedAKey = presented.adminHeader() != null || presented.bearer() != null;
        return Optional.of(triedAKey ? ADMIN_KEY_WRONG : ADMIN_KEY_NEEDED);
    }

    /** A login cookie's value for the right admin key; empty for a wrong one or when no admin key is configured. */
    public Optional<String> login(String typedKey) {
        return admin.filter(key -> key.matches(typedKey))
                .map(key -> AdminSession.issue(key, clock.instant(), sessionLife));
    }

    public String cookieName() {
        return AdminSession.COOKIE;
    }

    public Duration sessionLife() {
        return sessionLife;
    }

    public boolean adminOpen() {
        return openAdmin;
    }

    /** Whether admin endpoints are open because the demo runs on loopback without an admin key. */
    public boolean openForDemo() {
        return openDemo;
    }

    public boolean adminKeyConfigured() {
        return admin.isPresent();
    }

    public boolean clientKeysConfigured() {
        return !clients.isEmpty();
    }

    /** Each configured client key's tag under {@code domain} (see {@link KeyDigest#tag}), in configuration order. */
    public List<String> clientKeyTags(String domain) {
        return clients.stream().map(key -> key.tag(domain)).distinct().toList();
    }

    /** The tag of a presented client key under {@code domain}, or empty when it is not one of the configured keys. */
    public Optional<String> clientKeyTag(String presented, String domain) {
        if (!KeyDigest.anyMatches(clients, presented)) {
            return Optional.empty();
        }
        return Optional.of(KeyDigest.tagOf(presented, domain));
    }

    /** How admin access is configured, for the log and the login page; never a key. */
    public String adminAccessDescription() {
        if (openDemo) {
            return "open: the demo runs on loopback only and no admin key is set (set freeway.security.admin-key"
                    + " to lock it)";
        }
        if (openAdmin) {
            return "open to anyone who can reach this port (freeway.security.open-admin=true)";
        }
        return admin.isPresent() ? "admin key required" : NO_ADMIN_KEY;
    }
}
