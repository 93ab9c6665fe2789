package dev.freeway.api.door;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.freeway.api.door.DoorFixtures.object;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SseEventTest {

    @Test
    void a_named_event_is_written_with_its_name_and_one_data_line() {
        SseEvent event = SseEvent.named("message_stop", object("{\"type\":\"message_stop\"}"));
        assertEquals("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
                new String(event.bytes(), StandardCharsets.UTF_8));
    }

    @Test
    void a_bare_data_event_and_the_done_marker_are_written_as_openai_streams_them() {
        assertEquals("data: {\"text\":\"a\\nb\"}\n\n", SseEvent.data(object("{\"text\":\"a\\nb\"}")).text());
        assertEquals("data: [DONE]\n\n", SseEvent.DONE.text());
    }
}
