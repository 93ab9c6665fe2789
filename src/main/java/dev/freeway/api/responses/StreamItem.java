package dev.freeway.api.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One output item while a Responses stream builds it: a message's text or a function call's arguments so far. */
final class StreamItem {

    final int index;
    final String id;
    final String callId;
    private final StringBuilder text = new StringBuilder();
    String name;
    String status = "in_progress";
    boolean announced;

    private StreamItem(int index, String id, String callId) {
        this.index = index;
        this.id = id;
        this.callId = callId;
    }

    static StreamItem message(int index) {
        StreamItem item = new StreamItem(index, OutputItems.messageId(), null);
        item.announced = true;
        return item;
    }

    static StreamItem call(int index, String callId) {
        return new StreamItem(index, OutputItems.functionCallId(), callId);
    }

    void append(String piece) {
        text.append(piece);
    }

    String text() {
        return text.toString();
    }

    int length() {
        return text.length();
    }

    /** The item as it stands, with the given status. */
    ObjectNode item(String itemStatus) {
        if (callId == null) {
            // A message announced before its first word has no content part yet, as OpenAI streams it.
            boolean empty = text.length() == 0 && "in_progress".equals(itemStatus);
            return OutputItems.message(id, itemStatus, empty ? null : text(), null);
        }
        return OutputItems.functionCall(id, itemStatus, callId, name == null ? "" : name, text());
    }
}
