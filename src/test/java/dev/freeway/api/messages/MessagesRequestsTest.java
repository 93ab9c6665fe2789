package dev.freeway.api.messages;

import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.Metadata;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoice;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.quota.TokenEstimator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.freeway.api.door.DoorFixtures.acceptedByChat;
import static dev.freeway.api.door.DoorFixtures.assertInvalid;
import static dev.freeway.api.door.DoorFixtures.object;
import static dev.freeway.api.door.DoorFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessagesRequestsTest {

    @Test
    void a_request_built_by_the_anthropic_sdk_translates_system_tools_choice_and_sampling() throws Exception {
        MessageCreateParams params = MessageCreateParams.builder()
                .model("claude-sonnet-4-5").maxTokens(1024).system("You are a weather bot.")
                .addUserMessage("What is the weather like in San Francisco?")
                .addTool(Tool.builder().name("get_weather").description("Get the current weather in a given location")
                        .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("location", JsonValue.from(Map.of("type", "string")))
                                .build()).required(List.of("location")).build())
                        .build())
                .toolChoice(ToolChoice.ofTool("get_weather"))
                .putAdditionalBodyProperty("temperature", JsonValue.from(0.5))
                .putAdditionalBodyProperty("top_p", JsonValue.from(0.9))
                .putAdditionalBodyProperty("top_k", JsonValue.from(40))
                .stopSequences(List.of("\n\nHuman:"))
                .metadata(Metadata.builder().userId("user-42").build())
                .build();
        ObjectNode body = object(ObjectMappers.jsonMapper().writeValueAsString(params._body()));

        ObjectNode chat = acceptedByChat(MessagesRequests.toChat(body));

        assertEquals("claude-sonnet-4-5", chat.get("model").asText());
        assertEquals(tree("""
                [{"role":"system","content":"You are a weather bot."},
                 {"role":"user","content":"What is the weather like in San Francisco?"}]"""), chat.get("messages"));
        assertEquals(1024, chat.get("max_tokens").asInt());
        assertEquals("get_weather", chat.at("/tools/0/function/name").asText());
        assertEquals("Get the current weather in a given location", chat.at("/tools/0/function/description").asText());
        assertEquals("location", chat.at("/tools/0/function/parameters/required/0").asText());
        assertEquals(object("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"), chat.get("tool_choice"));
        assertEquals(0.5, chat.get("temperature").asDouble());
        assertEquals(0.9, chat.get("top_p").asDouble());
        assertFalse(chat.has("top_k"), "no chat equivalent every provider honours");
        assertEquals(tree("[\"\\n\\nHuman:\"]"), chat.get("stop"));
        assertEquals("user-42", chat.get("user").asText());
    }

    @Test
    void a_tool_use_round_trip_becomes_tool_calls_and_tool_messages_before_the_users_words() {
        ObjectNode chat = MessagesRequests.toChat(object("""
                {"model":"claude-sonnet-4-5","max_tokens":512,
                 "system":[{"type":"text","text":"Be terse."},{"type":"text","text":"Use tools.","cache_control":{"type":"ephemeral"}}],
                 "messages":[
                  {"role":"user","content":"Weather in Paris?"},
                  {"role":"assistant","content":[
                    {"type":"thinking","thinking":"I should call the tool","signature":"sig"},
                    {"type":"text","text":"Let me check."},
                    {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"Paris"}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9","content":[{"type":"text","text":"15 degrees"}]},
                    {"type":"text","text":"And tomorrow?"}]}]}"""));

        JsonNode messages = acceptedByChat(chat).get("messages");
        assertEquals(tree("""
                [{"role":"system","content":"Be terse.\\n\\nUse tools."},
                 {"role":"user","content":"Weather in Paris?"},
                 {"role":"assistant","content":"Let me check.","tool_calls":[{"id":"toolu_01A09q90qw90lq917835lq9",
                   "type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]},
                 {"role":"tool","tool_call_id":"toolu_01A09q90qw90lq917835lq9","content":"15 degrees"},
                 {"role":"user","content":"And tomorrow?"}]"""), messages);
    }

    @Test
    void images_in_base64_and_by_url_become_image_parts_and_tool_errors_are_marked() {
        ObjectNode chat = MessagesRequests.toChat(object("""
                {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                  {"type":"image","source":{"type":"url","url":"https://upload.wikimedia.org/ant.jpg"}},
                  {"type":"text","text":"Compare these."}]},
                 {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"zoom","input":{}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":true,"content":"timeout"}]}]}"""));

        JsonNode messages = acceptedByChat(chat).get("messages");
        assertEquals("data:image/png;base64,iVBORw0KGgo=", messages.at("/0/content/0/image_url/url").asText());
        assertEquals("https://upload.wikimedia.org/ant.jpg", messages.at("/0/content/1/image_url/url").asText());
        assertEquals("Compare these.", messages.at("/0/content/2/text").asText());
        assertTrue(messages.get(1).get("content").isNull());
        assertEquals("Error: timeout", messages.at("/2/content").asText());
    }

    @Test
    void tool_choice_any_none_auto_and_parallel_use_map_to_chat() {
        assertEquals("required", choice("{\"type\":\"any\"}").get("tool_choice").asText());
        assertEquals("none", choice("{\"type\":\"none\"}").get("tool_choice").asText());
        ObjectNode auto = choice("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}");
        assertEquals("auto", auto.get("tool_choice").asText());
        assertFalse(auto.get("parallel_tool_calls").asBoolean());
    }

    private static ObjectNode choice(String choice) {
        return MessagesRequests.toChat(object("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}],
                 "tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":%s}""".formatted(choice)));
    }

    @Test
    void streaming_and_thinking_are_accepted_and_thinking_is_not_forwarded() {
        ObjectNode chat = MessagesRequests.toChat(object("""
                {"model":"m","max_tokens":2048,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},
                 "messages":[{"role":"user","content":"hi"}]}"""));
        assertTrue(chat.get("stream").asBoolean());
        assertTrue(chat.at("/stream_options/include_usage").asBoolean());
        assertFalse(chat.has("thinking"));
    }

    @Test
    void missing_and_hostile_fields_are_refused_naming_the_field() {
        assertInvalid("max_tokens", "Missing required parameter", () -> MessagesRequests.toChat(object(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
        assertInvalid("max_tokens", "expected an integer", () -> MessagesRequests.toChat(object(
                "{\"model\":\"m\",\"max_tokens\":1e300,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
        assertInvalid("messages", "non-empty array", () -> MessagesRequests.toChat(object(
                "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}")));
        assertInvalid("messages.0.role", "user or assistant", () -> MessagesRequests.toChat(object(
                "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}")));
        assertInvalid("messages.0.content.0.source.media_type", "image/png", () -> MessagesRequests.toChat(object("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[
                 {"type":"image","source":{"type":"base64","media_type":"image/tiff","data":"AAAA"}}]}]}""")));
        assertInvalid("messages.0.content.0.type", "document", () -> MessagesRequests.toChat(object("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[
                 {"type":"document","source":{"type":"text","data":"x","media_type":"text/plain"}}]}]}""")));
        assertInvalid("tools.0.type", "web_search_20250305", () -> MessagesRequests.toChat(object("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],
                 "tools":[{"type":"web_search_20250305","name":"web_search"}]}""")));
        assertInvalid("tools.0.input_schema", "Missing", () -> MessagesRequests.toChat(object("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],"tools":[{"name":"f"}]}""")));
        assertInvalid("tools.0.name", "1 to 64 letters", () -> MessagesRequests.toChat(object("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],
                 "tools":[{"name":"a b!","input_schema":{"type":"object"}}]}""")));
        assertInvalid("temperature", "from 0 to 1", () -> MessagesRequests.toChat(object("""
                {"model":"m","max_tokens":5,"temperature":1.5,"messages":[{"role":"user","content":"x"}]}""")));
        assertInvalid("tool_choice.name", "not one of the tools", () -> MessagesRequests.toChat(object("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],
                 "tool_choice":{"type":"tool","name":"ghost"}}""")));
        assertInvalid("messages.1.content.0.input", "an object", () -> MessagesRequests.toChat(object("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"},
                 {"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":"{}"}]}]}""")));
    }

    @Test
    void count_tokens_needs_no_max_tokens_and_counts_as_the_quota_engine_does() {
        ObjectNode request = object("""
                {"model":"claude-sonnet-4-5","system":"You are a scientist",
                 "messages":[{"role":"user","content":"Hello, Claude"}]}""");
        TokenEstimator estimator = new TokenEstimator(1024);

        long counted = MessagesTokenCount.count(request, estimator).get("input_tokens").asLong();

        assertEquals(estimator.promptTokens(MessagesRequests.forCounting(request)), counted);
        assertTrue(counted > 5 && counted < 40, "a short prompt, counted " + counted);
    }
}
