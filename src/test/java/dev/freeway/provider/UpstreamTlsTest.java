package dev.freeway.provider;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PfxOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every hosted provider is HTTPS: the client trusts what the JVM trusts, checks that the certificate names the host
 * it called (or the key would go to whoever answers for that address), and speaks HTTP/2 where the provider offers
 * it. A provider double with its own certificate, trusted for this test through the JVM's trust store settings.
 */
class UpstreamTlsTest {

    private static final String PASSWORD = "double-secret";
    private static final Duration KEEP = Duration.ofSeconds(30);
    private static final Duration CONNECT = Duration.ofSeconds(10);
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);
    private static final List<String> TRUST = List.of("javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
            "javax.net.ssl.trustStoreType");

    @TempDir
    static Path keys;
    private static final Map<String, String> before = new java.util.HashMap<>();
    private static Vertx vertx;
    private static HttpServer provider;
    private static final AtomicReference<HttpVersion> version = new AtomicReference<>();
    private static final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        Path identity = keys.resolve("provider.p12");
        Path trust = keys.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "provider", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2", "-keystore", identity.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        Path certificate = keys.resolve("provider.crt");
        keytool("-exportcert", "-alias", "provider", "-keystore", identity.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "provider", "-file", certificate.toString(), "-keystore",
                trust.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        TRUST.forEach(name -> before.put(name, System.getProperty(name)));
        System.setProperty("javax.net.ssl.trustStore", trust.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");

        vertx = Vertx.vertx();
        provider = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true)
                        .setKeyCertOptions(new PfxOptions().setPath(identity.toString()).setPassword(PASSWORD)))
                .requestHandler(request -> {
                    requests.incrementAndGet();
                    version.set(request.version());
                    request.response().putHeader("Content-Type", "application/json").end("{}");
                });
        provider.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        before.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }

    @Test
    void a_provider_whose_certificate_names_the_host_is_called_over_http_2() throws Exception {
        UpstreamClient client = new UpstreamClient(vertx);
        UpstreamClient.Head head = client.post(at("https://localhost:" + provider.actualPort() + "/v1"),
                "chat/completions", JSON, BODY, Duration.ofSeconds(10));
        assertEquals(200, head.status());
        assertEquals(HttpVersion.HTTP_2, version.get());
    }

    @Test
    void a_certificate_for_another_host_is_refused_before_the_request_and_its_key_are_sent() {
        UpstreamClient client = new UpstreamClient(vertx);
        int before = requests.get();
        // the certificate names localhost, not 127.0.0.1: whoever answers there is not the provider
        UpstreamClient.NeverSent never = assertThrows(UpstreamClient.NeverSent.class, () -> client.post(at("https://127.0.0.1:" + provider.actualPort() + "/v1"), "chat/completions",
                Map.of("Authorization", "Bearer sk-must-not-leave"), BODY, Duration.ofSeconds(10)));
        assertTrue(never.getMessage().contains("TLS handshake"), never.getMessage());
        assertEquals(before, requests.get(), "no request reached the server");
    }

    private static void keytool(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + arguments[0] + ": " + output);
        }
    }

    /** A provider at {@code base}, its connections kept and made as by default. */
    private static UpstreamClient.Target at(String base) {
        return new UpstreamClient.Target(base, KEEP, CONNECT);
    }
}
