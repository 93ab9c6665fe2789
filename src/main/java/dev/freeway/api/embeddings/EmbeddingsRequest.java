package dev.freeway.api.embeddings;

import java.util.List;

/**
 * A checked POST /v1/embeddings request, its input always as texts.
 *
 * @param model      what the client asked for
 * @param texts      the inputs, in order (token arrays decoded back to text)
 * @param single     whether {@code input} was one string or one token array, not a list
 * @param encoding   how the client wants vectors: float arrays or base64
 * @param dimensions the vector length asked for, or null for the model's own
 */
public record EmbeddingsRequest(String model, List<String> texts, boolean single, Encoding encoding,
                                Integer dimensions) {

    public EmbeddingsRequest {
        texts = List.copyOf(texts);
    }

    /** OpenAI's {@code encoding_format}. */
    public enum Encoding {
        FLOAT, BASE64
    }
}
