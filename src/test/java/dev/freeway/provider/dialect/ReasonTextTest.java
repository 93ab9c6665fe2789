package dev.freeway.provider.dialect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReasonTextTest {

    @Test
    void removes_moonshots_echoed_key() {
        String line = ReasonText.line("balance used up", "Your account org-xxx <ak-xxx> is suspended due to insufficient balance, please recharge your account or check your plan and billing details");
        assertFalse(line.contains("ak-xxx"), line);
        assertTrue(line.contains("<[redacted]>"), line);
        assertTrue(line.startsWith("balance used up: Your account org-xxx"), line);
    }

    @Test
    void removes_every_known_key_shape() {
        String[] secrets = {"sk-proj-4fG7hJ9kL2mN5pQ8rS1tU3vW6xY0zA", "sk-or-v1-0123456789abcdef0123456789abcdef",
                "gsk_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z", "AIzaSyD-1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P",
                "ak-9f8e7d6c5b4a", "hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345", "csk-abc123def456ghi789",
                "nvapi-Zx9Yw8Vu7Ts6", "0123456789abcdef0123456789abcdef.AbCdEfGhIjKlMnOp",
                "dGhpcyBpcyBhIHNlY3JldCB0b2tlbiAxMjM0NTY3ODkw"};
        for (String secret : secrets) {
            String line = ReasonText.line("rejected", "Incorrect API key provided: " + secret + ". Check it.");
            assertFalse(line.contains(secret), line);
            assertTrue(line.contains(ReasonText.REDACTED), line);
        }
    }

    @Test
    void removes_authorization_values() {
        String line = ReasonText.line("rejected", "header Authorization: Bearer abc.def-ghi was refused; x-goog-api-key=XYZ123");
        assertFalse(line.contains("abc.def-ghi"), line);
        assertFalse(line.contains("XYZ123"), line);
    }

    @Test
    void keeps_ordinary_words_urls_and_durations() {
        String text = "Please try again in 6m30.096s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing";
        assertEquals("limit: " + text, ReasonText.line("limit", text));
        String google = "generativelanguage.googleapis.com/generate_content_free_tier_requests task-based risk-free";
        assertEquals("q: " + google, ReasonText.line("q", google));
    }

    @Test
    void folds_lines_and_bounds_length() {
        String line = ReasonText.line("upstream failed", "line one\n\tline two\r\n" + "x".repeat(5000));
        assertFalse(line.contains("\n"));
        assertFalse(line.contains("\t"));
        assertTrue(line.length() <= 300, String.valueOf(line.length()));
        assertTrue(line.startsWith("upstream failed: line one line two"));
    }

    @Test
    void gives_the_summary_alone_when_the_provider_said_nothing() {
        assertEquals("the provider failed (502)", ReasonText.line("the provider failed (502)", null));
        assertEquals("the provider failed (502)", ReasonText.line("the provider failed (502)", "  "));
    }
}
