package dev.freeway.routing.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freeway.config.TaskClassifierKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassifierSelectionTest {

    private static final TaskModel ALWAYS_CREATIVE = chat -> TaskEvidence.of(Task.CREATIVE, "test model");

    @Test
    void the_heuristic_never_touches_a_learned_model() {
        Iterable<TaskModel> untouchable = () -> {
            throw new AssertionError("a learned model was looked up with the heuristic configured");
        };
        assertNull(ClassifierSelection.choose(TaskClassifierKind.HEURISTIC, untouchable));
    }

    @Test
    void embedding_takes_the_learned_model_the_build_carries() {
        assertSame(ALWAYS_CREATIVE, ClassifierSelection.choose(TaskClassifierKind.EMBEDDING, List.of(ALWAYS_CREATIVE)));
    }

    @Test
    void embedding_without_a_model_in_the_build_fails_start_up_saying_what_to_do() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> ClassifierSelection.choose(TaskClassifierKind.EMBEDDING, List.of()));
        assertTrue(error.getMessage().contains("-Pembedding"), error.getMessage());
        assertTrue(error.getMessage().contains("freeway.routing.classifier=heuristic"), error.getMessage());
    }

    @Test
    void a_model_decides_only_what_needs_reading() {
        TaskClassifier classifier = new TaskClassifier(1_000, ALWAYS_CREATIVE);
        ObjectMapper json = new ObjectMapper();
        ObjectNode request = json.createObjectNode();
        request.putArray("messages").addObject().put("role", "user").put("content", "Prove it");
        assertEquals(TaskEvidence.of(Task.CREATIVE, "test model"), classifier.explain(request, 10));
        assertEquals(Task.MAX_CONTEXT, classifier.classify(request, 1_000));
        request.putArray("tools").addObject().put("type", "function");
        assertEquals(TaskEvidence.of(Task.CODING, "tools"), classifier.explain(request, 10));
    }

}
