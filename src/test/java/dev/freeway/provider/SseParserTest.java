package dev.freeway.provider;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SseParserTest {

    @Test
    void splits_events_on_blank_lines_with_lf_crlf_or_cr() {
        assertEquals(List.of(new SseParser.Event(null, "a"), new SseParser.Event(null, "b"),
                new SseParser.Event(null, "c")), events("data: a\n\ndata: b\r\n\r\ndata: c\r\r"));
    }

    @Test
    void joins_data_lines_with_newlines_and_keeps_the_event_name() {
        assertEquals(List.of(new SseParser.Event("error", "one\ntwo\nthree")),
                events("event:  error \ndata: one\ndata:two\ndata: three\n\n"));
    }

    @Test
    void skips_comments_and_keep_alives_and_unknown_fields() {
        assertEquals(List.of(new SseParser.Event(null, "x")),
                events(": OPENROUTER PROCESSING\n\nid: 7\nretry: 10\ndata: x\n\n"));
    }

    @Test
    void an_empty_data_line_is_an_event_with_empty_data() {
        assertEquals(List.of(new SseParser.Event(null, ""), new SseParser.Event(null, " padded")),
                events("data:\n\ndata:  padded\n\n"));
    }

    @Test
    void never_dispatches_an_event_cut_off_by_the_end_of_the_stream() {
        assertEquals(List.of(new SseParser.Event(null, "whole")), events("data: whole\n\ndata: cut"));
    }

    @Test
    void reads_events_split_anywhere_across_pieces_multibyte_characters_included() {
        String stream = "data: {\"content\":\"héllo wörld ✓ 😀\"}\r\n\r\n" + "data: " + "x".repeat(2000) + "\n\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        List<SseParser.Event> whole = events(stream);
        for (int cut = 1; cut < bytes.length; cut += 7) {
            SseParser parser = new SseParser();
            parser.feed(ByteBuffer.wrap(bytes, 0, cut));
            parser.feed(ByteBuffer.wrap(bytes, cut, bytes.length - cut));
            assertEquals(whole, drain(parser), "cut at " + cut);
        }
        assertEquals("{\"content\":\"héllo wörld ✓ 😀\"}", whole.get(0).data());
        assertEquals(2000, whole.get(1).data().length());
    }

    private static List<SseParser.Event> events(String text) {
        SseParser parser = new SseParser();
        parser.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        return drain(parser);
    }

    private static List<SseParser.Event> drain(SseParser parser) {
        List<SseParser.Event> events = new ArrayList<>();
        for (SseParser.Event event = parser.poll(); event != null; event = parser.poll()) {
            events.add(event);
        }
        return events;
    }

    @Test
    void an_event_past_the_largest_taken_is_refused_instead_of_growing() {
        SseParser parser = new SseParser();
        byte[] piece = new byte[1024 * 1024];
        java.util.Arrays.fill(piece, (byte) 'x');
        for (int i = 0; i < SseParser.MAX_EVENT / piece.length; i++) {
            parser.feed(java.nio.ByteBuffer.wrap(piece)); // up to the limit: taken
        }
        org.junit.jupiter.api.Assertions.assertThrows(SseParser.TooLarge.class,
                () -> parser.feed(java.nio.ByteBuffer.wrap(new byte[]{'x'})));
    }
}
