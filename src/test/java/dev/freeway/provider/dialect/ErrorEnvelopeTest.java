package dev.freeway.provider.dialect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorEnvelopeTest {

    @Test
    void reads_the_openai_object_envelope() {
        ErrorEnvelope e = ErrorEnvelope.read("{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        assertTrue(e.found());
        assertEquals("Invalid API Key", e.message());
        assertEquals("invalid_request_error", e.type());
        assertEquals("invalid_api_key", e.code());
    }

    @Test
    void reads_geminis_array_wrapped_envelope() {
        ErrorEnvelope e = ErrorEnvelope.read("[{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted (e.g. check quota).\",\"status\":\"RESOURCE_EXHAUSTED\"}}]");
        assertTrue(e.found());
        assertEquals("429", e.code());
        assertEquals(429, e.numericCode());
        assertEquals("RESOURCE_EXHAUSTED", e.status());
        assertEquals("Resource has been exhausted (e.g. check quota).", e.message());
    }

    @Test
    void finds_google_details_by_type() {
        ErrorEnvelope e = ErrorEnvelope.read("{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_INVALID\",\"domain\":\"googleapis.com\",\"metadata\":{\"service\":\"generativelanguage.googleapis.com\"}}]}}");
        assertEquals("API_KEY_INVALID", e.detail("ErrorInfo").get("reason").asText());
        assertTrue(e.detail("RetryInfo").isMissingNode());
    }

    @Test
    void reads_hugging_faces_string_error() {
        ErrorEnvelope e = ErrorEnvelope.read("{\"error\":\"You have exceeded your monthly included credits for Inference Providers. Subscribe to PRO to get 20x more monthly included credits.\"}");
        assertTrue(e.found());
        assertTrue(e.message().startsWith("You have exceeded your monthly included credits"));
        assertNull(e.code());
    }

    @Test
    void reads_dashscopes_native_top_level_code() {
        ErrorEnvelope e = ErrorEnvelope.read("{\"request_id\":\"a3a281e3-0610-974a-8fb2-47401f693b8b\",\"code\":\"Throttling.RateQuota\",\"message\":\"Requests rate limit exceeded, please try again later.\"}");
        assertTrue(e.found());
        assertEquals("Throttling.RateQuota", e.code());
        assertEquals("Requests rate limit exceeded, please try again later.", e.message());
    }

    @Test
    void keeps_zai_business_codes_as_text() {
        ErrorEnvelope e = ErrorEnvelope.read("{\"error\":{\"code\":\"1302\",\"message\":\"Rate limit reached for requests\"}}");
        assertEquals("1302", e.code());
        assertEquals(1302, e.numericCode());
    }

    @Test
    void reads_mistrals_top_level_error_object() {
        ErrorEnvelope e = ErrorEnvelope.read("{\"object\":\"error\",\"message\":\"Capacity exceeded for this model.\",\"type\":\"engine_max_pending_tokens\",\"param\":null,\"code\":\"3810\",\"raw_status_code\":429}");
        assertTrue(e.found());
        assertEquals("3810", e.code());
        assertEquals("engine_max_pending_tokens", e.type());
        assertEquals("Capacity exceeded for this model.", e.message());
    }

    @Test
    void reads_cloudflares_errors_array() {
        ErrorEnvelope e = ErrorEnvelope.read("{\"errors\":[{\"code\":3036,\"message\":\"You have used up your daily free allocation of 10,000 neurons.\"}],\"success\":false}");
        assertTrue(e.found());
        assertEquals(3036, e.numericCode());
        assertTrue(e.says("daily free allocation"));
    }

    @Test
    void reads_openrouter_metadata() {
        ErrorEnvelope e = ErrorEnvelope.read("{\"error\":{\"message\":\"Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day\",\"code\":429,\"metadata\":{\"headers\":{\"X-RateLimit-Limit\":\"50\",\"X-RateLimit-Remaining\":\"0\",\"X-RateLimit-Reset\":\"1788825600000\"}}}}");
        assertEquals("1788825600000", e.metadata().path("headers").path("X-RateLimit-Reset").asText());
    }

    @Test
    void takes_the_title_of_an_html_page_as_the_message() {
        ErrorEnvelope e = ErrorEnvelope.read("<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>");
        assertFalse(e.found());
        assertFalse(e.json());
        assertEquals("504 Gateway Time-out", e.message());
    }

    @Test
    void finds_nothing_in_an_empty_or_blank_body() {
        for (String body : new String[] {null, "", "   \n"}) {
            ErrorEnvelope e = ErrorEnvelope.read(body);
            assertFalse(e.found());
            assertNull(e.message());
            assertEquals(-1, e.numericCode());
        }
    }

    @Test
    void keeps_a_plain_text_line_such_as_a_client_libraries_no_body_note() {
        ErrorEnvelope e = ErrorEnvelope.read("400 status code (no body)");
        assertFalse(e.found());
        assertEquals("400 status code (no body)", e.message());
    }

    @Test
    void survives_truncated_and_odd_json() {
        String[] bodies = {"{\"error\":{\"message\":\"Rate limit reached for model", "[", "[]", "[1,2]", "null", "42",
                "\"just a string\"", "{\"error\":null}", "{\"error\":{\"message\":{\"detail\":[1]}}}", "{\"errors\":[]}",
                "{\"errors\":[1]}", "[".repeat(5000), "{\"error\":[1,2,3]}", "\u0000\u0001"};
        for (String body : bodies) {
            ErrorEnvelope e = ErrorEnvelope.read(body);
            assertTrue(e.message() == null || !e.message().isEmpty(), body);
        }
    }

    @Test
    void keeps_a_structured_message_as_compact_json() {
        ErrorEnvelope e = ErrorEnvelope.read("{\"object\":\"error\",\"message\":{\"detail\":[{\"msg\":\"field required\"}]},\"type\":\"invalid_request_error\",\"code\":null}");
        assertEquals("{\"detail\":[{\"msg\":\"field required\"}]}", e.message());
    }

    @Test
    void a_success_body_carries_no_error() {
        ErrorEnvelope e = ErrorEnvelope.read("{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"message\":{\"content\":\"hi\"}}]}");
        assertFalse(e.found());
    }

    @Test
    void a_top_level_success_code_is_not_an_error() {
        assertFalse(ErrorEnvelope.read("{\"code\":200,\"message\":\"success\",\"data\":{}}").found());
        assertFalse(ErrorEnvelope.read("{\"code\":\"0\",\"message\":\"ok\"}").found());
    }
}
