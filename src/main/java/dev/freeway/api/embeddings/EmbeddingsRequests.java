package dev.freeway.api.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.freeway.api.door.Fields;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.quota.TokenEstimator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * POST /v1/embeddings: checks the request, normalises its input to texts, says whether a candidate model can serve
 * it, writes the body a provider gets, and estimates the input tokens the quota counts. Token-array inputs are
 * decoded with {@code cl100k_base}, the tokenizer OpenAI clients (LangChain's default among them) encode with for
 * OpenAI's embedding models: other providers' tokenizers differ, so they are sent the text.
 */
public final class EmbeddingsRequests {

    /** OpenAI's limit on inputs per request. */
    static final int MAX_INPUTS = 2048;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private EmbeddingsRequests() {
    }

    public static EmbeddingsRequest parse(ObjectNode request) {
        String model = Fields.model(request.get("model"));
        JsonNode input = Fields.get(request, "input");
        if (input == null) {
            throw Fields.missing("input");
        }
        boolean single = input.isTextual() || (input.isArray() && !input.isEmpty() && input.get(0).isNumber());
        List<String> texts = single ? List.of(one(input, "input")) : many(input);
        String format = Fields.optionalText(request, "encoding_format", "encoding_format");
        EmbeddingsRequest.Encoding encoding = EmbeddingsRequest.Encoding.FLOAT;
        if ("base64".equals(format)) {
            encoding = EmbeddingsRequest.Encoding.BASE64;
        } else if (format != null && !format.equals("float")) {
            throw Fields.invalid("encoding_format", "expected float or base64.");
        }
        Long dimensions = Fields.integer(request, "dimensions", "dimensions", 1, 65_536);
        Fields.optionalText(request, "user", "user");
        return new EmbeddingsRequest(model, texts, single, encoding, dimensions == null ? null : dimensions.intValue());
    }

    private static List<String> many(JsonNode input) {
        if (!input.isArray() || input.isEmpty()) {
            throw Fields.wrongType("input", "a string, an array of strings, or an array of token arrays");
        }
        if (input.size() > MAX_INPUTS) {
            throw Fields.invalid("input", "at most " + MAX_INPUTS + " inputs per request, got " + input.size() + ".");
        }
        List<String> texts = new ArrayList<>(input.size());
        for (int i = 0; i < input.size(); i++) {
            texts.add(one(input.get(i), "input[" + i + "]"));
        }
        return texts;
    }

    /** One input: a non-empty string, or a non-empty array of cl100k token ids. */
    private static String one(JsonNode input, String path) {
        if (input.isTextual()) {
            if (input.asText().isEmpty()) {
                throw Fields.invalid(path, "an input cannot be an empty string.");
            }
            return input.asText();
        }
        if (!input.isArray() || input.isEmpty()) {
            throw Fields.wrongType(path, "a non-empty string or a non-empty array of token ids");
        }
        IntArrayList tokens = new IntArrayList(input.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode token = input.get(i);
            if (!token.isIntegralNumber() || !token.canConvertToInt() || token.intValue() < 0) {
                throw Fields.wrongType(path + "[" + i + "]", "a token id (a whole number of zero or more)");
            }
            tokens.add(token.intValue());
        }
        try {
            return CL100K.decode(tokens);
        } catch (RuntimeException e) {
            throw Fields.invalid(path, "not cl100k_base token ids (the tokenizer of OpenAI's embedding models).");
        }
    }

    /** Why a candidate cannot serve this request, or empty when it can. */
    public static Optional<String> whyNot(ModelSpec model, EmbeddingsRequest request, TokenEstimator estimator) {
        if (!model.isEmbedding()) {
            return Optional.of("not an embedding model");
        }
        ModelSpec.Embedding facts = model.embedding();
        if (!facts.serves(request.dimensions())) {
            return Optional.of("cannot give " + request.dimensions() + " dimensions (gives " + facts.dimensions()
                    + (facts.dimensionChoices().isEmpty() ? "" : ", or one of " + facts.dimensionChoices()) + ")");
        }
        if (facts.maxInputs() > 0 && request.texts().size() > facts.maxInputs()) {
            return Optional.of("takes at most " + facts.maxInputs() + " inputs per request");
        }
        for (String text : request.texts()) {
            long tokens = estimator.tokens(text);
            if (tokens > model.contextWindow()) {
                return Optional.of("an input of about " + tokens + " tokens exceeds its " + model.contextWindow());
            }
        }
        return Optional.empty();
    }

    /** The body a provider gets: always float vectors, which every provider returns; base64 is Freeway's job. */
    public static ObjectNode upstream(EmbeddingsRequest request, String providerModel) {
        ObjectNode body = JSON.objectNode().put("model", providerModel);
        if (request.single()) {
            body.put("input", request.texts().get(0));
        } else {
            request.texts().forEach(body.putArray("input")::add);
        }
        if (request.dimensions() != null) {
            body.put("dimensions", request.dimensions());
        }
        return body;
    }

    /** Input tokens the quota reserves: every input, counted as the quota engine counts text. */
    public static long inputTokens(EmbeddingsRequest request, TokenEstimator estimator) {
        return request.texts().stream().mapToLong(estimator::tokens).sum();
    }
}
