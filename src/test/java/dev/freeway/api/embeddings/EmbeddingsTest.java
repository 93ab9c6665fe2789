package dev.freeway.api.embeddings;

import dev.freeway.api.error.ApiError;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import dev.freeway.catalog.CatalogReader;
import dev.freeway.catalog.ModelSpec;
import dev.freeway.provider.Usage;
import dev.freeway.quota.TokenEstimator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.freeway.api.door.DoorFixtures.assertInvalid;
import static dev.freeway.api.door.DoorFixtures.object;
import static dev.freeway.api.door.DoorFixtures.text;
import static dev.freeway.api.door.DoorFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingsTest {

    private static final TokenEstimator ESTIMATOR = new TokenEstimator(1024);

    private static ModelSpec model(String provider, String id) {
        return CatalogReader.builtIn().get(provider).model(id).orElseThrow();
    }

    @Test
    void a_string_an_array_of_strings_and_token_arrays_all_become_texts() {
        EmbeddingsRequest one = EmbeddingsRequests.parse(object("""
                {"model":"text-embedding-v4","input":"The food was delicious and the waiter...","encoding_format":"float"}"""));
        assertTrue(one.single());
        assertEquals(List.of("The food was delicious and the waiter..."), one.texts());

        EmbeddingsRequest many = EmbeddingsRequests.parse(object("{\"model\":\"m\",\"input\":[\"a cat\",\"a dog\"]}"));
        assertFalse(many.single());
        assertEquals(List.of("a cat", "a dog"), many.texts());

        // "hello world" in cl100k_base, as LangChain's OpenAIEmbeddings sends it by default
        EmbeddingsRequest tokens = EmbeddingsRequests.parse(object(
                "{\"model\":\"m\",\"input\":[[15339,1917],[15339]],\"encoding_format\":\"base64\",\"dimensions\":256}"));
        assertEquals(List.of("hello world", "hello"), tokens.texts());
        assertEquals(EmbeddingsRequest.Encoding.BASE64, tokens.encoding());
        assertEquals(256, tokens.dimensions());
        assertEquals(List.of("hello world"), EmbeddingsRequests.parse(object(
                "{\"model\":\"m\",\"input\":[15339,1917]}")).texts());
    }

    @Test
    void hostile_inputs_are_refused_naming_the_field() {
        assertInvalid("input", "Missing", () -> EmbeddingsRequests.parse(object("{\"model\":\"m\"}")));
        assertInvalid("input", "empty string", () -> EmbeddingsRequests.parse(object("{\"model\":\"m\",\"input\":\"\"}")));
        assertInvalid("input", "a string, an array", () -> EmbeddingsRequests.parse(object("{\"model\":\"m\",\"input\":{}}")));
        assertInvalid("input[1]", "non-empty string", () -> EmbeddingsRequests.parse(object(
                "{\"model\":\"m\",\"input\":[\"ok\",42.5]}")));
        assertInvalid("input[1]", "token id", () -> EmbeddingsRequests.parse(object(
                "{\"model\":\"m\",\"input\":[15339,-1]}")));
        assertInvalid("input", "cl100k_base", () -> EmbeddingsRequests.parse(object(
                "{\"model\":\"m\",\"input\":[999999999]}")));
        String many = "[" + "\"x\",".repeat(EmbeddingsRequests.MAX_INPUTS) + "\"x\"]";
        assertInvalid("input", "at most 2048", () -> EmbeddingsRequests.parse(object(
                "{\"model\":\"m\",\"input\":" + many + "}")));
        assertInvalid("encoding_format", "float or base64", () -> EmbeddingsRequests.parse(object(
                "{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"int8\"}")));
        assertInvalid("dimensions", "from 1", () -> EmbeddingsRequests.parse(object(
                "{\"model\":\"m\",\"input\":\"x\",\"dimensions\":0}")));
        assertInvalid("dimensions", "an integer", () -> EmbeddingsRequests.parse(object(
                "{\"model\":\"m\",\"input\":\"x\",\"dimensions\":1e400}")));
        // the model id is checked as every door checks it: it ends up in keys, tags and the recent requests
        assertInvalid("model", "printable", () -> EmbeddingsRequests.parse(object(
                "{\"model\":\"a\\u0000b\",\"input\":\"x\"}")));
        assertInvalid("model", "at most", () -> EmbeddingsRequests.parse(object(
                "{\"model\":\"" + "x".repeat(100_000) + "\",\"input\":\"x\"}")));
        assertInvalid("model", "non-empty string", () -> EmbeddingsRequests.parse(object(
                "{\"model\":5,\"input\":\"x\"}")));
    }

    @Test
    void a_candidate_serves_only_the_dimensions_batch_and_input_size_it_can() {
        EmbeddingsRequest small = EmbeddingsRequests.parse(object(
                "{\"model\":\"m\",\"input\":[\"a\",\"b\"],\"dimensions\":512}"));
        assertTrue(EmbeddingsRequests.whyNot(model("dashscope-intl", "text-embedding-v4"), small, ESTIMATOR).isEmpty());
        assertTrue(EmbeddingsRequests.whyNot(model("mistral", "mistral-embed"), small, ESTIMATOR).orElseThrow()
                .contains("cannot give 512 dimensions"));
        assertEquals("not an embedding model", EmbeddingsRequests.whyNot(model("groq", "openai/gpt-oss-120b"),
                small, ESTIMATOR).orElseThrow());
        EmbeddingsRequest eleven = EmbeddingsRequests.parse(object(
                "{\"model\":\"m\",\"input\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]}"));
        assertTrue(EmbeddingsRequests.whyNot(model("dashscope-intl", "text-embedding-v4"), eleven, ESTIMATOR)
                .orElseThrow().contains("at most 10 inputs"));
        EmbeddingsRequest longInput = EmbeddingsRequests.parse(object(
                "{\"model\":\"m\",\"input\":\"" + "word ".repeat(600) + "\"}"));
        assertTrue(EmbeddingsRequests.whyNot(model("cloudflare-workers-ai", "@cf/baai/bge-base-en-v1.5"), longInput,
                ESTIMATOR).orElseThrow().contains("exceeds its 512"));
    }

    @Test
    void the_provider_gets_texts_and_dimensions_and_the_quota_counts_input_tokens() {
        EmbeddingsRequest request = EmbeddingsRequests.parse(object(
                "{\"model\":\"auto\",\"input\":[[15339,1917],\"a dog\"],\"dimensions\":768,\"encoding_format\":\"base64\"}"));
        ObjectNode body = EmbeddingsRequests.upstream(request, "text-embedding-v4");
        assertEquals(object("{\"model\":\"text-embedding-v4\",\"input\":[\"hello world\",\"a dog\"],\"dimensions\":768}"),
                body);
        assertEquals(ESTIMATOR.tokens("hello world") + ESTIMATOR.tokens("a dog"),
                EmbeddingsRequests.inputTokens(request, ESTIMATOR));
        assertEquals("x", EmbeddingsRequests.upstream(EmbeddingsRequests.parse(object(
                "{\"model\":\"m\",\"input\":\"x\"}")), "e").get("input").asText(), "one string stays one string");
    }

    @Test
    void float_vectors_become_little_endian_float32_base64_and_back() {
        assertEquals("AACAPw==", EmbeddingVectors.toBase64(tree("[1.0]")), "1.0f is 00 00 80 3F little-endian");
        assertEquals("AACAPwAAAMAAAAAA", EmbeddingVectors.toBase64(tree("[1.0,-2.0,0.0]")));
        assertEquals("[0.5,-0.25]", EmbeddingVectors.fromBase64(EmbeddingVectors.toBase64(tree("[0.5,-0.25]"))).toString());
    }

    @Test
    void an_answer_is_openai_shaped_in_input_order_and_in_the_encoding_asked_for() throws Exception {
        EmbeddingsRequest request = EmbeddingsRequests.parse(object(
                "{\"model\":\"auto\",\"input\":[\"a\",\"b\"],\"encoding_format\":\"base64\"}"));
        ObjectNode answer = EmbeddingsAnswers.toClient(object("""
                {"data":[{"embedding":[0.5,-0.25],"index":1,"object":"embedding"},
                         {"embedding":[1.0,0.0],"index":0,"object":"embedding"}],
                 "model":"text-embedding-v4","object":"list","usage":{"prompt_tokens":2,"total_tokens":2},"id":"x"}"""),
                request, new Usage(99, 0));

        assertEquals(EmbeddingVectors.toBase64(tree("[1.0,0.0]")), answer.at("/data/0/embedding").asText());
        assertEquals(EmbeddingVectors.toBase64(tree("[0.5,-0.25]")), answer.at("/data/1/embedding").asText());
        assertEquals(2, answer.at("/usage/prompt_tokens").asInt());

        EmbeddingsRequest floats = EmbeddingsRequests.parse(object("{\"model\":\"auto\",\"input\":\"a\"}"));
        ObjectNode decoded = EmbeddingsAnswers.toClient(object(
                "{\"data\":[{\"embedding\":\"AACAPw==\",\"index\":0}]}"), floats, new Usage(3, 0));
        CreateEmbeddingResponse sdk = ObjectMappers.jsonMapper().readValue(text(decoded), CreateEmbeddingResponse.class);
        sdk.validate();
        assertEquals(List.of(1.0f), sdk.data().get(0).embedding());
        assertEquals(3, sdk.usage().promptTokens(), "the estimate when the provider sent no usage");
        assertEquals("auto", sdk.model());
    }

    @Test
    void an_answer_with_the_wrong_number_of_vectors_is_a_502() {
        EmbeddingsRequest request = EmbeddingsRequests.parse(object("{\"model\":\"m\",\"input\":[\"a\",\"b\"]}"));
        ApiError error = org.junit.jupiter.api.Assertions.assertThrows(ApiError.class,
                () -> EmbeddingsAnswers.toClient(object("{\"data\":[{\"embedding\":[1.0],\"index\":0}]}"), request,
                        Usage.NONE));
        assertEquals(502, error.status());
    }
}
