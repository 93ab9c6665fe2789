package dev.freeway.api;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.stream.Collectors;

import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static dev.freeway.support.ProviderDoubles.sse;
import static dev.freeway.support.ProviderDoubles.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The official OpenAI Java SDK, pointed at Freeway, works as it does against OpenAI. */
@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class OpenAiSdkTest {

    @TestHTTPResource("/v1")
    URL base;

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void the_sdk_gets_a_completion() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "Hello from Groq", 8, 4))));

        ChatCompletion completion = client().chat().completions().create(params());

        assertEquals("Hello from Groq", completion.choices().get(0).message().content().orElseThrow());
        assertEquals(12, completion.usage().orElseThrow().totalTokens());
    }

    @Test
    void the_sdk_reads_a_stream() {
        server().stubFor(chat("groq", null).willReturn(sse(stream("openai/gpt-oss-120b", List.of("Hel", "lo"), 8, 2))));

        try (StreamResponse<ChatCompletionChunk> chunks = client().chat().completions().createStreaming(params())) {
            String text = chunks.stream().flatMap(c -> c.choices().stream())
                    .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());
            assertEquals("Hello", text);
        }
    }

    @Test
    void an_upstream_429_surfaces_as_the_sdks_rate_limit_exception() {
        server().stubFor(chat("groq", null).willReturn(json(429, FallbackTest.GROQ_TPD)));

        RateLimitException error = assertThrows(RateLimitException.class,
                () -> client().chat().completions().create(params()));
        assertEquals(429, error.statusCode());
    }

    @Test
    void the_sdk_does_not_retry_an_error_that_says_retrying_cannot_help() {
        server().stubFor(chat("cerebras", null).willReturn(json(401,
                "{\"message\":\"Wrong API Key\",\"type\":\"invalid_request_error\",\"code\":\"wrong_api_key\"}")));
        java.util.Map<String, String> parkedSkips = java.util.Map.of("provider", "cerebras", "reason", "quota");
        double before = dev.freeway.support.GatewayView.metric("freeway_fallbacks_total", parkedSkips);
        OpenAIClient retrying = OpenAIOkHttpClient.builder().baseUrl(base.toString()).apiKey("unused").maxRetries(2)
                .build();

        com.openai.errors.InternalServerException error = assertThrows(com.openai.errors.InternalServerException.class,
                () -> retrying.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model("cerebras/gpt-oss-120b").addUserMessage("Hi").build()));

        assertEquals(503, error.statusCode());
        assertEquals(before, dev.freeway.support.GatewayView.metric("freeway_fallbacks_total", parkedSkips),
                "one request reached Freeway: the SDK's retries would each have met the parked account");
        server().verify(1, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/cerebras/v1/chat/completions")));
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(base.toString()).apiKey("unused").maxRetries(0).build();
    }

    private static ChatCompletionCreateParams params() {
        return ChatCompletionCreateParams.builder().model("groq/openai/gpt-oss-120b").addUserMessage("Hi").build();
    }
}
