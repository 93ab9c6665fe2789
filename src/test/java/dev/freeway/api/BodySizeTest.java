package dev.freeway.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The 413 check counts a body's UTF-8 bytes without encoding it: it must say what encoding it would say. */
class BodySizeTest {

    @Test
    void counts_utf8_bytes_as_encoding_would_around_every_limit() {
        List<String> texts = List.of("", "plain ascii", "é".repeat(10), "✓".repeat(10), "😀".repeat(10),
                "mixed é ✓ 😀 text", "\uD83D" + "lone high", "lone low \uDE00", "\uDE00\uD83D reversed pair",
                "end with high \uD83D");
        for (String text : texts) {
            int bytes = text.getBytes(StandardCharsets.UTF_8).length;
            for (long limit = 0; limit <= bytes + 2; limit++) {
                assertEquals(bytes > limit, FrontDoor.largerThan(text, limit), text + " at limit " + limit);
            }
        }
    }
}
