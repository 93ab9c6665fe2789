package dev.freeway.api;

import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static dev.freeway.support.ProviderDoubles.server;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies are read as they arrive, before a worker takes the request ({@link RequestBodies}): whole when they come in
 * pieces, refused once they grow past the limit without having declared it, after a 100 Continue when the client
 * asks for one; a client that leaves halfway changes nothing, and clients that send slowly hold no worker thread
 * meanwhile. None of these reaches a provider.
 */
@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
@TestProfile(RequestBodiesTest.ShortReadTimeout.class)
class RequestBodiesTest {

    /** A body must arrive within 3 s here (60 s as shipped), so that a late one is seen within the test. */
    public static class ShortReadTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.read-timeout", "3s");
        }
    }

    private static final String HEAD = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Connection: close\r\n";
    private static final int SLOW_CLIENTS = 220;

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @AfterEach
    void nothing_reached_a_provider() {
        server().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void a_body_sent_in_pieces_is_read_whole() throws Exception {
        String first = "{\"model\":\"groq/openai/gpt-oss-120b\",";
        String second = "\"messages\":\"not a list\"}";
        try (Socket socket = open()) {
            send(socket, HEAD + "Content-Length: " + (first.length() + second.length()) + "\r\n\r\n" + first);
            Thread.sleep(300);
            send(socket, second);
            String answer = answer(socket);
            // the first piece alone is not JSON: an answer about the field means both pieces were read as one
            assertMessagesRefused(answer);
        }
    }

    @Test
    void a_body_that_grows_past_the_limit_without_declaring_it_is_refused_in_openais_shape() throws Exception {
        try (Socket socket = open()) {
            String answer = growingPastTheLimit(socket, HEAD);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("\"code\":\"request_too_large\""), answer);
            assertTrue(answer.contains("(4194304 bytes)"), answer);
            assertTrue(answer.toLowerCase().contains("connection: close"), answer);
        }
    }

    @Test
    void a_body_whose_chunks_do_not_parse_closes_the_connection_and_the_gateway_serves_on() throws Exception {
        try (Socket socket = open()) {
            send(socket, HEAD + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"mod\r\nzz-not-a-size\r\n");
            // the HTTP codec refuses it and closes the connection before any answer can be written (as the README
            // says of what the codec refuses); never a 5xx
            assertEquals("", answer(socket));
        }
        String body = "{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":7}";
        given().contentType("application/json").body(body).post("/v1/chat/completions").then().statusCode(400);
    }

    @Test
    void a_client_that_asks_for_100_continue_gets_it_before_it_sends_the_body() throws Exception {
        String body = "{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":7}";
        try (Socket socket = open()) {
            send(socket, HEAD + "Expect: 100-continue\r\nContent-Length: " + body.length() + "\r\n\r\n");
            String interim = answerWithin(socket, 3000);
            assertTrue(interim.startsWith("HTTP/1.1 100 Continue"), interim);
            send(socket, body);
            String answer = answer(socket);
            assertMessagesRefused(answer);
        }
    }

    @Test
    void a_client_that_leaves_halfway_through_its_body_changes_nothing() throws Exception {
        try (Socket socket = open()) {
            send(socket, HEAD + "Content-Length: 1000\r\n\r\n{\"model\":\"groq/openai/gpt-oss-120b\",");
        }
        given().get("/v1/models").then().statusCode(200); // the gateway serves on
        String body = "{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":[]}";
        given().contentType("application/json").body(body).post("/v1/chat/completions").then().statusCode(400);
        assertEquals(0, server().getAllServeEvents().size());
    }

    @Test
    void a_body_that_stops_arriving_is_a_408_in_openais_shape_after_the_read_timeout() throws Exception {
        try (Socket socket = open()) {
            send(socket, HEAD + "Content-Length: 1000\r\n\r\n{\"model\":");
            long started = System.nanoTime();
            String answer = answer(socket);
            long waited = (System.nanoTime() - started) / 1_000_000;
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("\"code\":\"request_timeout\""), answer);
            assertTrue(answer.contains("within 3 s"), answer);
            assertTrue(waited >= 2_500, "answered after " + waited + " ms, before the body could have come");
        }
    }

    @Test
    void an_http2_clients_body_is_read_too() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).build(); // h2c: upgraded from the first request
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + RestAssured.port + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":7}")).build();
        for (int i = 0; i < 2; i++) { // the upgrade, then a request on the HTTP/2 connection
            var answer = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(400, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"param\":\"messages\""), answer.body());
        }
    }

    @Test
    void clients_that_send_their_bodies_slowly_hold_no_worker_from_the_next_request() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) { // more than the 200 workers Quarkus has on this machine
                Socket socket = open();
                slow.add(socket);
                send(socket, HEAD + "Content-Length: 1000\r\n\r\n{\"model\":");
            }
            try (Socket socket = open()) {
                socket.setSoTimeout(2_000); // a worker freed by the 3 s read timeout would come too late
                String body = "{\"model\":\"groq/openai/gpt-oss-120b\",\"messages\":7}";
                send(socket, HEAD + "Content-Length: " + body.length() + "\r\n\r\n" + body);
                String answer = answer(socket);
                assertMessagesRefused(answer);
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void the_anthropic_door_answers_the_http_layers_refusals_in_anthropics_shape() throws Exception {
        String messages = "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Connection: close\r\n";
        try (Socket socket = open()) { // declared too large
            send(socket, messages + "Content-Length: 99999999\r\n\r\n");
            String answer = answerWithin(socket, 3000);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("{\"type\":\"error\",\"error\":{\"type\":\"request_too_large\""), answer);
        }
        try (Socket socket = open()) { // grows too large
            String answer = growingPastTheLimit(socket, messages);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            assertTrue(answer.contains("\"type\":\"error\""), answer);
        }
        given().get("/v1/messages").then().statusCode(405).body("type", equalTo("error"))
                .body("error.type", equalTo("invalid_request_error"));
        given().contentType("application/json").body("{}").post("/v1/messages/batches").then().statusCode(404)
                .body("type", equalTo("error")).body("error.type", equalTo("not_found_error"));
        // the OpenAI doors keep OpenAI's shape
        given().get("/v1/chat/completions").then().statusCode(405).body("error.code", equalTo("method_not_allowed"));
    }

    /** The 400 of a body read whole: its messages field is wrong (read in part, it would not be JSON at all). */
    private static void assertMessagesRefused(String answer) {
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("\"param\":\"messages\""), answer);
    }

    /** A chunked body sent in 512 KB pieces until an answer comes (8 MB at most; the limit is 4 MB). */
    private static String growingPastTheLimit(Socket socket, String head) throws IOException {
        byte[] piece = ("{\"x\":\"" + "x".repeat(512 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        send(socket, head + "Transfer-Encoding: chunked\r\n\r\n");
        String answer = "";
        for (int sent = 0; sent < 16 && answer.isEmpty(); sent++) {
            send(socket, Integer.toHexString(piece.length) + "\r\n");
            socket.getOutputStream().write(piece);
            send(socket, "\r\n");
            answer = answerWithin(socket, 200);
        }
        return answer;
    }

    private static Socket open() throws IOException {
        Socket socket = new Socket("127.0.0.1", RestAssured.port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Everything until the server closes the connection (every request here says Connection: close). */
    private static String answer(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** What has come within the wait, "" if nothing: for an answer that comes while the client is still sending. */
    private static String answerWithin(Socket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = in.read(buffer)) > 0) {
                got.write(buffer, 0, read);
                socket.setSoTimeout(200); // the rest of what is already on its way
            }
        } catch (SocketTimeoutException enough) {
            // nothing more for now
        } finally {
            socket.setSoTimeout(10_000);
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
