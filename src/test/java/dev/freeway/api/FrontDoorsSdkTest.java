package dev.freeway.api;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.freeway.support.ProviderDoubles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.freeway.support.ProviderDoubles.chat;
import static dev.freeway.support.ProviderDoubles.completion;
import static dev.freeway.support.ProviderDoubles.json;
import static dev.freeway.support.ProviderDoubles.server;
import static dev.freeway.support.ProviderDoubles.sse;
import static dev.freeway.support.ProviderDoubles.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every front door answers the official SDKs as the real APIs do, through the same routing and quotas as chat:
 * openai-java for Responses (a function-call round trip and previous_response_id included), legacy completions and
 * embeddings; anthropic-java for Messages (streams, tool use, a 429 as its rate-limit exception).
 */
@QuarkusTest
@QuarkusTestResource(ProviderDoubles.class)
class FrontDoorsSdkTest {

    private static final String GROQ = "groq/openai/gpt-oss-120b";
    private static final String TOOL_CALL = """
            {"id":"c1","object":"chat.completion","created":1,"model":"openai/gpt-oss-120b","choices":[{"index":0,
             "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
             "function":{"name":"weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":20,"completion_tokens":9,"total_tokens":29}}""";

    @TestHTTPResource("/v1")
    URL base;

    @TestHTTPResource("/")
    URL root;

    @BeforeEach
    void reset() {
        ProviderDoubles.reset();
    }

    @Test
    void responses_answers_with_output_text_and_usage() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "Hello there", 8, 3))));

        Response response = openai().responses().create(ResponseCreateParams.builder().model(GROQ).input("Hi").build());

        String text = response.output().get(0).message().orElseThrow().content().get(0).outputText().orElseThrow().text();
        assertEquals("Hello there", text);
        assertEquals(11, response.usage().orElseThrow().totalTokens());
        assertTrue(response.id().startsWith("resp_"), response.id());
    }

    @Test
    void responses_streams_its_event_sequence() {
        server().stubFor(chat("groq", null).willReturn(sse(stream("openai/gpt-oss-120b", List.of("Hel", "lo"), 8, 2))));

        try (StreamResponse<ResponseStreamEvent> events = openai().responses().createStreaming(
                ResponseCreateParams.builder().model(GROQ).input("Hi").build())) {
            List<ResponseStreamEvent> all = events.stream().toList();
            String text = all.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta())
                    .collect(Collectors.joining());
            assertEquals("Hello", text);
            assertTrue(all.get(0).isCreated(), "response.created first");
            assertTrue(all.get(all.size() - 1).isCompleted(), "response.completed last");
            assertEquals(10, all.get(all.size() - 1).asCompleted().response().usage().orElseThrow().totalTokens());
        }
    }

    @Test
    void a_function_call_round_trip_continues_from_the_stored_response() {
        server().stubFor(chat("groq", null).willReturn(json(200, TOOL_CALL)));
        FunctionTool weather = FunctionTool.builder().name("weather").strict(false)
                .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .build()).build();

        Response first = openai().responses().create(ResponseCreateParams.builder().model(GROQ)
                .input("Weather in Oslo?").addTool(weather).build());
        ResponseFunctionToolCall call = first.output().get(0).functionCall().orElseThrow();
        assertEquals("weather", call.name());
        assertEquals("{\"city\":\"Oslo\"}", call.arguments());

        server().stubFor(chat("groq", null).withRequestBody(containing("\"role\":\"tool\""))
                .atPriority(1).willReturn(json(200, completion("openai/gpt-oss-120b", "It is sunny", 30, 4))));
        Response second = openai().responses().create(ResponseCreateParams.builder().model(GROQ)
                .previousResponseId(first.id()).addTool(weather)
                .inputOfResponse(List.of(ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput
                        .builder().callId(call.callId()).output("{\"sky\":\"sunny\"}").build()))).build());

        assertEquals("It is sunny", second.output().get(0).message().orElseThrow().content().get(0).outputText()
                .orElseThrow().text());
        // the second call carried the first turn: the user's question, the tool call and its result
        server().verify(postRequestedFor(urlEqualTo("/groq/openai/v1/chat/completions"))
                .withRequestBody(containing("Weather in Oslo?"))
                .withRequestBody(matchingJsonPath("$.messages[1].tool_calls[0].id", com.github.tomakehurst.wiremock
                        .client.WireMock.equalTo(call.callId())))
                .withRequestBody(containing("sunny")));
    }

    @Test
    void a_response_the_store_cannot_keep_is_still_served_with_store_false_whole_or_streamed() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "Kept?", 8, 3))));
        openai().responses().create(ResponseCreateParams.builder().model(GROQ).input("Hi").build());
        int port = ProviderDoubles.redis().port();
        List<?> orders = (List<?>) dev.freeway.support.Resp.command(port, "KEYS", "fw:{resp:*}:order");
        assertEquals(1, orders.size(), orders.toString());
        String order = (String) orders.get(0);
        dev.freeway.support.Resp.command(port, "DEL", order);
        dev.freeway.support.Resp.command(port, "SET", order, "not a sorted set"); // the store's script now fails

        var whole = io.restassured.RestAssured.given().contentType("application/json")
                .body("{\"model\":\"" + GROQ + "\",\"input\":\"Hi\"}").post("/v1/responses");
        whole.then().statusCode(200);
        assertEquals("Kept?", whole.jsonPath().getString("output[0].content[0].text"),
                "the answer was served and counted: the client gets it");
        assertEquals(false, whole.jsonPath().getBoolean("store"), "and is told it was not kept");

        server().stubFor(chat("groq", null).willReturn(sse(stream("openai/gpt-oss-120b", List.of("Hel", "lo"), 8, 2))));
        String streamed = io.restassured.RestAssured.given().contentType("application/json")
                .body("{\"model\":\"" + GROQ + "\",\"input\":\"Hi\",\"stream\":true}").post("/v1/responses")
                .then().statusCode(200).extract().asString();
        String last = streamed.substring(streamed.lastIndexOf("event: "));
        assertTrue(last.startsWith("event: response.completed"), "the stream still ends with response.completed: "
                + last);
        assertTrue(last.contains("\"store\":false"), last);
    }

    @Test
    void a_previous_response_that_is_gone_is_a_clear_404() {
        com.openai.errors.NotFoundException gone = assertThrows(com.openai.errors.NotFoundException.class,
                () -> openai().responses().create(ResponseCreateParams.builder().model(GROQ)
                        .previousResponseId("resp_0123456789abcdef").input("Again").build()));
        assertTrue(gone.getMessage().contains("not found or expired"), gone.getMessage());
    }

    @Test
    void legacy_completions_answer_with_text() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "hi!", 4, 2))));

        Completion completion = openai().completions().create(CompletionCreateParams.builder().model(GROQ)
                .prompt("Say hi").maxTokens(20).build());

        assertEquals("hi!", completion.choices().get(0).text());
        assertEquals(6, completion.usage().orElseThrow().totalTokens());
    }

    @Test
    void embeddings_go_to_the_model_named_and_count_its_input() {
        server().stubFor(post(urlEqualTo("/gemini/v1beta/openai/embeddings")).willReturn(json(200, """
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.25,-0.5,0.125]}],
                 "model":"gemini-embedding-001","usage":{"prompt_tokens":3,"total_tokens":3}}""")));

        CreateEmbeddingResponse answer = openai().embeddings().create(EmbeddingCreateParams.builder()
                .model("google-gemini/gemini-embedding-001").input("hello world").build());

        assertEquals(List.of(0.25f, -0.5f, 0.125f), answer.data().get(0).embedding());
        assertEquals(3, answer.usage().promptTokens());
        server().verify(postRequestedFor(urlEqualTo("/gemini/v1beta/openai/embeddings"))
                .withRequestBody(matchingJsonPath("$.model", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo("gemini-embedding-001"))));
        assertEquals(3, dev.freeway.support.GatewayView.used("google-gemini", "project-1", "gemini-embedding-001",
                "input_tokens", "minute"), "input tokens counted as the provider reported them");
        assertEquals(1, dev.freeway.support.GatewayView.used("google-gemini", "project-1", "gemini-embedding-001",
                "requests", "day"));
    }

    @Test
    void messages_answers_the_anthropic_sdk() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "Hello!", 9, 2))));

        Message message = anthropic().messages().create(MessageCreateParams.builder().model(GROQ).maxTokens(100)
                .addUserMessage("Hi").build());

        assertEquals("Hello!", message.content().get(0).text().orElseThrow().text());
        assertEquals(9, message.usage().inputTokens());
        assertEquals(2, message.usage().outputTokens());
    }

    @Test
    void messages_stream_as_anthropic_events() {
        server().stubFor(chat("groq", null).willReturn(sse(stream("openai/gpt-oss-120b", List.of("Hel", "lo"), 8, 2))));

        try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> events = anthropic().messages()
                .createStreaming(MessageCreateParams.builder().model(GROQ).maxTokens(100).addUserMessage("Hi")
                        .build())) {
            List<RawMessageStreamEvent> all = events.stream().toList();
            String text = all.stream().flatMap(e -> e.contentBlockDelta().stream())
                    .flatMap(d -> d.delta().text().stream()).map(t -> t.text()).collect(Collectors.joining());
            assertEquals("Hello", text);
            assertTrue(all.get(0).isMessageStart());
            assertTrue(all.get(all.size() - 1).isMessageStop());
        }
    }

    @Test
    void messages_tool_use_comes_back_as_a_tool_use_block() {
        server().stubFor(chat("groq", null).willReturn(json(200, TOOL_CALL)));

        Message message = anthropic().messages().create(MessageCreateParams.builder().model(GROQ).maxTokens(100)
                .addUserMessage("Weather in Oslo?").addTool(Tool.builder().name("weather")
                        .inputSchema(Tool.InputSchema.builder().properties(com.anthropic.core.JsonValue.from(Map.of(
                                "city", Map.of("type", "string")))).build()).build()).build());

        ContentBlock block = message.content().stream().filter(ContentBlock::isToolUse).findFirst().orElseThrow();
        assertEquals("weather", block.asToolUse().name());
        assertEquals("tool_use", message.stopReason().orElseThrow().asString());
    }

    @Test
    void an_exhausted_pool_is_the_anthropic_sdks_rate_limit_exception_with_its_retry_delay() {
        server().stubFor(chat("groq", null).willReturn(json(429, FallbackTest.GROQ_TPD)));

        com.anthropic.errors.RateLimitException limited = assertThrows(com.anthropic.errors.RateLimitException.class,
                () -> anthropic().messages().create(MessageCreateParams.builder().model(GROQ).maxTokens(100)
                        .addUserMessage("Hi").build()));

        assertEquals(429, limited.statusCode());
        long retryAfter = Long.parseLong(limited.headers().values("retry-after").get(0));
        assertTrue(retryAfter > 300, "Groq's 6m30s: " + retryAfter);
    }

    @Test
    void a_messages_request_counts_what_the_same_chat_request_counts() {
        server().stubFor(chat("groq", null).willReturn(json(200, completion("openai/gpt-oss-120b", "ok", 12, 3))));
        holdBack("groq:team-b");
        anthropic().messages().create(MessageCreateParams.builder().model(GROQ).maxTokens(50).addUserMessage("Hi")
                .build());
        // the day's counters, not the minute's: a minute can turn between the two requests and the reads
        long afterMessages = dev.freeway.support.GatewayView.used("groq", "team-a", "openai/gpt-oss-120b", "tokens",
                "day");
        openai().chat().completions().create(com.openai.models.chat.completions.ChatCompletionCreateParams.builder()
                .model(GROQ).maxTokens(50).addUserMessage("Hi").build());

        assertEquals(15, afterMessages);
        assertEquals(30, dev.freeway.support.GatewayView.used("groq", "team-a", "openai/gpt-oss-120b", "tokens",
                "day"), "the chat request added the same 15");
        assertEquals(2, dev.freeway.support.GatewayView.used("groq", "team-a", "openai/gpt-oss-120b", "requests",
                "day"));
    }

    private OpenAIClient openai() {
        return OpenAIOkHttpClient.builder().baseUrl(base.toString()).apiKey("unused").maxRetries(0).build();
    }

    private AnthropicClient anthropic() {
        String url = root.toString();
        return AnthropicOkHttpClient.builder().baseUrl(url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .apiKey("unused").maxRetries(0).build();
    }

    private static void holdBack(String account) {
        dev.freeway.support.Resp.command(ProviderDoubles.redis().port(), "SET", "fw:{acct:" + account + "}:park",
                (System.currentTimeMillis() + 600_000) + " exhausted held back by the test", "PX", "600000");
    }
}
