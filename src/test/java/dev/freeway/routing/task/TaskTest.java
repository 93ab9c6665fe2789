package dev.freeway.routing.task;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TaskTest {

    @Test
    void keys_are_the_lower_case_words_the_catalog_uses() {
        assertEquals("simple", Task.SIMPLE.key());
        assertEquals("coding", Task.CODING.key());
        assertEquals("reasoning", Task.REASONING.key());
        assertEquals("creative", Task.CREATIVE.key());
        assertEquals("max_context", Task.MAX_CONTEXT.key());
    }

    @Test
    void parses_bare_and_auto_prefixed_words_in_any_case() {
        assertEquals(Optional.of(Task.CODING), Task.parse("coding"));
        assertEquals(Optional.of(Task.CODING), Task.parse("auto:coding"));
        assertEquals(Optional.of(Task.CODING), Task.parse("AUTO:Coding"));
        assertEquals(Optional.of(Task.MAX_CONTEXT), Task.parse(" max_context "));
        assertEquals(Optional.of(Task.REASONING), Task.parse("auto: reasoning"));
    }

    @Test
    void refuses_what_is_not_a_task() {
        for (String text : new String[] {null, "", "auto:", "auto", "code", "max-context", "auto:auto:coding"}) {
            assertEquals(Optional.empty(), Task.parse(text), String.valueOf(text));
        }
    }
}
