package dev.freeway.api.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Embedding vectors between float arrays and OpenAI's {@code encoding_format: base64}: the vector's float32 values,
 * little-endian, base64-encoded (what the OpenAI SDKs decode with {@code np.frombuffer(..., dtype="float32")}).
 * Providers that return only floats (DashScope) get their vectors encoded here.
 */
public final class EmbeddingVectors {

    private EmbeddingVectors() {
    }

    public static String toBase64(JsonNode floats) {
        ByteBuffer bytes = ByteBuffer.allocate(floats.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode value : floats) {
            if (!value.isNumber()) {
                throw new IllegalArgumentException("an embedding holds numbers only, found " + value);
            }
            bytes.putFloat(value.floatValue());
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    public static ArrayNode fromBase64(String base64) {
        byte[] raw = Base64.getDecoder().decode(base64);
        if (raw.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("base64 embedding is not a whole number of float32 values");
        }
        ByteBuffer bytes = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        ArrayNode floats = JsonNodeFactory.instance.arrayNode(raw.length / Float.BYTES);
        while (bytes.hasRemaining()) {
            floats.add(bytes.getFloat());
        }
        return floats;
    }
}
