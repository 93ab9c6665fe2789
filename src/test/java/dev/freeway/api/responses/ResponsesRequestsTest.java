package dev.freeway.api.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.ChatModel;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseInputImage;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseInputText;
import com.openai.models.responses.ResponseTextConfig;
import com.openai.models.responses.ToolChoiceOptions;
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

class ResponsesRequestsTest {

    @Test
    void a_string_input_with_instructions_becomes_a_system_and_a_user_message() {
        ResponsesTurn turn = ResponsesRequests.toChat(object("""
                {"model":"gpt-4o","instructions":"You are a coding assistant that talks like a pirate.",
                 "input":"Are semicolons optional in JavaScript?","max_output_tokens":200,"temperature":0.2,
                 "top_p":0.9,"user":"user-1234","metadata":{"session":"abc"}}"""), List.of());

        ObjectNode chat = acceptedByChat(turn.chat());
        assertEquals("gpt-4o", chat.get("model").asText());
        assertEquals(tree("""
                [{"role":"system","content":"You are a coding assistant that talks like a pirate."},
                 {"role":"user","content":"Are semicolons optional in JavaScript?"}]"""), chat.get("messages"));
        assertEquals(200, chat.get("max_tokens").asInt());
        assertEquals(0.2, chat.get("temperature").asDouble());
        assertEquals(0.9, chat.get("top_p").asDouble());
        assertEquals("user-1234", chat.get("user").asText());
        assertFalse(chat.has("metadata"), "metadata is echoed in the response, not sent to providers");
        assertFalse(chat.has("stream"));
        assertTrue(turn.store(), "store defaults to true");
    }

    @Test
    void a_request_built_by_the_openai_sdk_translates_tools_images_format_and_effort() throws Exception {
        ResponseCreateParams params = ResponseCreateParams.builder()
                .model(ChatModel.GPT_4O)
                .inputOfResponse(List.of(
                        ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                                .role(EasyInputMessage.Role.DEVELOPER).content("Answer in JSON.").build()),
                        ResponseInputItem.ofMessage(ResponseInputItem.Message.builder()
                                .role(ResponseInputItem.Message.Role.USER)
                                .addContent(ResponseInputText.builder().text("What is in this image?").build())
                                .addContent(ResponseInputImage.builder().detail(ResponseInputImage.Detail.HIGH)
                                        .imageUrl("https://upload.wikimedia.org/nature.jpg").build())
                                .build())))
                .addTool(FunctionTool.builder().name("get_weather").description("Current weather")
                        .parameters(FunctionTool.Parameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city",
                                        Map.of("type", "string"))))
                                .build())
                        .strict(true).build())
                .toolChoice(ToolChoiceOptions.REQUIRED)
                .parallelToolCalls(false)
                .text(ResponseTextConfig.builder().format(ResponseFormatTextJsonSchemaConfig.builder()
                        .name("answer").schema(ResponseFormatTextJsonSchemaConfig.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object")).build())
                        .strict(true).build()).build())
                .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).build())
                .build();
        ObjectNode body = (ObjectNode) object(ObjectMappers.jsonMapper().writeValueAsString(params._body()));

        ObjectNode chat = acceptedByChat(ResponsesRequests.toChat(body, List.of()).chat());

        assertEquals(tree("""
                [{"role":"system","content":"Answer in JSON."},
                 {"role":"user","content":[{"type":"text","text":"What is in this image?"},
                   {"type":"image_url","image_url":{"url":"https://upload.wikimedia.org/nature.jpg","detail":"high"}}]}]"""),
                chat.get("messages"));
        assertEquals(tree("""
                [{"type":"function","function":{"name":"get_weather","description":"Current weather",
                  "parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}}]"""),
                chat.get("tools"));
        assertEquals("required", chat.get("tool_choice").asText());
        assertFalse(chat.get("parallel_tool_calls").asBoolean());
        assertEquals("json_schema", chat.at("/response_format/type").asText());
        assertEquals("answer", chat.at("/response_format/json_schema/name").asText());
        assertTrue(chat.at("/response_format/json_schema/strict").asBoolean());
        assertEquals("low", chat.get("reasoning_effort").asText());
    }

    @Test
    void a_tool_call_round_trip_becomes_one_assistant_turn_with_both_calls_and_their_tool_results() {
        ResponsesTurn turn = ResponsesRequests.toChat(object("""
                {"model":"auto","tool_choice":{"type":"function","name":"get_weather"},
                 "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}],
                 "input":[
                  {"role":"user","content":"Weather in Paris and Rome?"},
                  {"type":"function_call","id":"fc_1","call_id":"call_p","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"},
                  {"type":"function_call","id":"fc_2","call_id":"call_r","name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"},
                  {"type":"function_call_output","call_id":"call_p","output":"18C"},
                  {"type":"function_call_output","call_id":"call_r","output":[{"type":"input_text","text":"24C"}]}]}"""),
                List.of());

        JsonNode messages = acceptedByChat(turn.chat()).get("messages");
        assertEquals(4, messages.size());
        assertEquals(object("""
                {"role":"assistant","content":null,"tool_calls":[
                  {"id":"call_p","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                  {"id":"call_r","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]}"""),
                messages.get(1));
        assertEquals(object("{\"role\":\"tool\",\"tool_call_id\":\"call_p\",\"content\":\"18C\"}"), messages.get(2));
        assertEquals("24C", messages.get(3).get("content").asText());
        assertEquals(object("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"),
                turn.chat().get("tool_choice"));
    }

    @Test
    void the_previous_conversation_comes_before_the_new_input_and_instructions_are_not_carried_over() {
        List<JsonNode> history = List.of(
                object("{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Tell me a joke\"}]}"),
                object("""
                        {"type":"message","id":"msg_1","status":"completed","role":"assistant",
                         "content":[{"type":"output_text","text":"Why did the chicken cross the road?","annotations":[]}]}"""));
        ResponsesTurn turn = ResponsesRequests.toChat(object("""
                {"model":"auto","previous_response_id":"resp_1","input":[{"role":"user","content":"Explain why it is funny."}]}"""),
                history);

        assertEquals(tree("""
                [{"role":"user","content":"Tell me a joke"},
                 {"role":"assistant","content":"Why did the chicken cross the road?"},
                 {"role":"user","content":"Explain why it is funny."}]"""), acceptedByChat(turn.chat()).get("messages"));
        assertEquals("resp_1", turn.previousResponseId());
        ObjectNode response = object("{\"output\":[{\"type\":\"message\",\"role\":\"assistant\",\"content\":[]}]}");
        assertEquals(4, turn.conversation(response).size(), "history, the new input, then the output");
    }

    @Test
    void a_failed_response_leaves_its_unfinished_items_out_of_the_conversation() {
        ResponsesTurn turn = ResponsesRequests.toChat(object("{\"model\":\"auto\",\"input\":\"Weather?\"}"),
                List.of());
        // a stream broken off mid-answer: a message cut short and a tool call with half its arguments
        ObjectNode failed = object("""
                {"status":"failed","output":[
                 {"type":"message","id":"msg_1","status":"completed","role":"assistant",
                  "content":[{"type":"output_text","text":"Checking.","annotations":[]}]},
                 {"type":"message","id":"msg_2","status":"in_progress","role":"assistant",
                  "content":[{"type":"output_text","text":"It is","annotations":[]}]},
                 {"type":"function_call","id":"fc_1","call_id":"call_1","status":"in_progress",
                  "name":"get_weather","arguments":"{\\"city\\":\\"Par"}]}""");
        List<JsonNode> conversation = turn.conversation(failed);
        assertEquals(2, conversation.size(), "the input and the finished message only: " + conversation);
        assertEquals("msg_1", conversation.get(1).path("id").asText());
    }

    @Test
    void streaming_asks_the_provider_for_usage_in_the_last_chunk() {
        ObjectNode chat = ResponsesRequests.toChat(object("{\"model\":\"auto\",\"input\":\"hi\",\"stream\":true}"),
                List.of()).chat();
        assertTrue(chat.get("stream").asBoolean());
        assertTrue(chat.at("/stream_options/include_usage").asBoolean());
    }

    @Test
    void json_object_format_becomes_response_format_and_plain_text_format_adds_nothing() {
        assertEquals("json_object", ResponsesRequests.toChat(object("""
                {"model":"auto","input":"List three colours as JSON","text":{"format":{"type":"json_object"}}}"""),
                List.of()).chat().at("/response_format/type").asText());
        assertFalse(ResponsesRequests.toChat(object("""
                {"model":"auto","input":"hi","text":{"format":{"type":"text"}}}"""), List.of()).chat()
                .has("response_format"));
    }

    @Test
    void a_built_in_tool_no_candidate_offers_is_refused_by_name() {
        assertInvalid("tools[1].type", "web_search", () -> ResponsesRequests.toChat(object("""
                {"model":"auto","input":"news today?","tools":[{"type":"function","name":"f"},{"type":"web_search"}]}"""),
                List.of()));
        assertInvalid("tool_choice.type", "file_search", () -> ResponsesRequests.toChat(object("""
                {"model":"auto","input":"x","tool_choice":{"type":"file_search"}}"""), List.of()));
        assertInvalid("tool_choice.name", "not one of the function tools", () -> ResponsesRequests.toChat(object("""
                {"model":"auto","input":"x","tool_choice":{"type":"function","name":"missing"}}"""), List.of()));
    }

    @Test
    void hostile_and_malformed_fields_are_refused_naming_the_field() {
        assertInvalid("model", "Missing required parameter", () -> ResponsesRequests.toChat(object(
                "{\"input\":\"hi\"}"), List.of()));
        assertInvalid("input", "Missing required parameter", () -> ResponsesRequests.toChat(object(
                "{\"model\":\"auto\"}"), List.of()));
        assertInvalid("input", "expected a string or a non-empty array", () -> ResponsesRequests.toChat(object(
                "{\"model\":\"auto\",\"input\":42}"), List.of()));
        assertInvalid("temperature", "expected a number", () -> ResponsesRequests.toChat(object(
                "{\"model\":\"auto\",\"input\":\"hi\",\"temperature\":1e400}"), List.of()));
        assertInvalid("temperature", "from 0 to 2", () -> ResponsesRequests.toChat(object(
                "{\"model\":\"auto\",\"input\":\"hi\",\"temperature\":7}"), List.of()));
        assertInvalid("top_p", "expected a number", () -> ResponsesRequests.toChat(object(
                "{\"model\":\"auto\",\"input\":\"hi\",\"top_p\":\"0.5\"}"), List.of()));
        assertInvalid("max_output_tokens", "expected an integer", () -> ResponsesRequests.toChat(object(
                "{\"model\":\"auto\",\"input\":\"hi\",\"max_output_tokens\":1180591620717411303424}"), List.of()));
        assertInvalid("max_output_tokens", "from 1", () -> ResponsesRequests.toChat(object(
                "{\"model\":\"auto\",\"input\":\"hi\",\"max_output_tokens\":0}"), List.of()));
        assertInvalid("input[0].content[0].text", "Missing required parameter", () -> ResponsesRequests.toChat(object(
                "{\"model\":\"auto\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\"}]}]}"), List.of()));
        assertInvalid("input[0].role", "expected one of", () -> ResponsesRequests.toChat(object(
                "{\"model\":\"auto\",\"input\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}"), List.of()));
        assertInvalid("input[0].type", "computer_call", () -> ResponsesRequests.toChat(object(
                "{\"model\":\"auto\",\"input\":[{\"type\":\"computer_call\"}]}"), List.of()));
        assertInvalid("input[0].content[0].file_id", "image_url", () -> ResponsesRequests.toChat(object("""
                {"model":"auto","input":[{"role":"user","content":[{"type":"input_image","file_id":"file-1"}]}]}"""),
                List.of()));
        assertInvalid("background", "background", () -> ResponsesRequests.toChat(object(
                "{\"model\":\"auto\",\"input\":\"hi\",\"background\":true}"), List.of()));
        assertInvalid("metadata.k", "string", () -> ResponsesRequests.toChat(object(
                "{\"model\":\"auto\",\"input\":\"hi\",\"metadata\":{\"k\":5}}"), List.of()));
        assertInvalid("reasoning.effort", "expected one of", () -> ResponsesRequests.toChat(object(
                "{\"model\":\"auto\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"extreme\"}}"), List.of()));
        assertInvalid("text.format.schema", "Missing", () -> ResponsesRequests.toChat(object(
                "{\"model\":\"auto\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"a\"}}}"),
                List.of()));
    }
}
