package dev.freeway.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A provider's usage is taken only when its counts are counts; otherwise Freeway counts the call itself. */
class UsageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Usage read(String usage) throws Exception {
        return Usage.read(JSON.readTree(usage));
    }

    @Test
    void whole_counts_of_zero_or_more_are_taken_and_a_missing_one_is_zero() throws Exception {
        assertEquals(new Usage(12, 7), read("{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19}"));
        assertEquals(new Usage(0, 7), read("{\"completion_tokens\":7}"));
        assertEquals(new Usage(0, 7), read("{\"prompt_tokens\":null,\"completion_tokens\":7}"));
        assertEquals(new Usage(Long.MAX_VALUE, 0), read("{\"prompt_tokens\":9223372036854775807}"));
    }

    @Test
    void a_count_that_is_not_one_makes_the_usage_unreported() throws Exception {
        for (String bad : new String[] {"-1", "\"12\"", "1.5", "1e3", "9223372036854775808", "true", "{}", "[]"}) {
            assertNull(read("{\"prompt_tokens\":" + bad + ",\"completion_tokens\":7}"), bad);
            assertNull(read("{\"prompt_tokens\":3,\"completion_tokens\":" + bad + "}"), bad);
        }
        assertNull(read("[]"));
        assertNull(Usage.read(null));
    }

    @Test
    void a_part_is_a_count_no_larger_than_its_whole() throws Exception {
        var usage = JSON.readTree("{\"prompt_tokens\":10,\"prompt_tokens_details\":{\"cached_tokens\":25},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":-4}}");
        assertEquals(10, Usage.part(usage, "prompt_tokens_details", "cached_tokens", 10));
        assertEquals(0, Usage.part(usage, "completion_tokens_details", "reasoning_tokens", 5));
        assertEquals(0, Usage.part(usage, "missing_details", "cached_tokens", 10));
    }
}
