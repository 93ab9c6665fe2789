package dev.freeway.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenEstimatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final TokenEstimator estimator = new TokenEstimator(1024);

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void counts_text_with_a_real_tokenizer() {
        assertEquals(2, estimator.tokens("hello world"));
        assertEquals(0, estimator.tokens(""));
        assertTrue(estimator.tokens("<|endoftext|>") > 1, "special-token markers in user text are plain text");
    }

    @Test
    void adds_framing_per_message_and_for_the_reply() throws Exception {
        JsonNode request = json("{'messages':[{'role':'system','content':'hello world'},{'role':'user','content':'hello world'}]}");
        // Per message: 3 framing + 1 role + 2 text; then 3 to start the reply.
        assertEquals(2 * (3 + 1 + 2) + 3, estimator.promptTokens(request));
    }

    @Test
    void counts_text_parts_and_a_fixed_allowance_per_image() throws Exception {
        JsonNode request = json("{'messages':[{'role':'user','content':[{'type':'text','text':'hello world'},"
                + "{'type':'image_url','image_url':{'url':'data:image/png;base64,AAAA'}}]}]}");
        assertEquals(3 + 1 + 2 + TokenEstimator.TOKENS_PER_ATTACHMENT + 3, estimator.promptTokens(request));
    }

    @Test
    void counts_tool_definitions_and_names() throws Exception {
        JsonNode plain = json("{'messages':[{'role':'user','content':'hi'}]}");
        JsonNode withName = json("{'messages':[{'role':'user','name':'ann','content':'hi'}]}");
        JsonNode withTools = json("{'messages':[{'role':'user','content':'hi'}],'tools':[{'type':'function',"
                + "'function':{'name':'get_weather','parameters':{'type':'object'}}}]}");
        assertTrue(estimator.promptTokens(withName) > estimator.promptTokens(plain));
        assertTrue(estimator.promptTokens(withTools) > estimator.promptTokens(plain) + 10);
    }

    @Test
    void reserves_max_completion_tokens_then_max_tokens_then_the_default() throws Exception {
        assertEquals(300, estimator.outputTokens(json("{'max_completion_tokens':300,'max_tokens':200}")));
        assertEquals(200, estimator.outputTokens(json("{'max_tokens':200}")));
        assertEquals(1024, estimator.outputTokens(json("{'messages':[]}")));
    }
}
