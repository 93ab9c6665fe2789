package dev.freeway.routing.task;

import dev.freeway.config.Pool;
import dev.freeway.config.TaskClassifierKind;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.util.Iterator;

/**
 * Chooses the classifier's model at start-up from {@code freeway.routing.classifier}, as the pool's routing settings
 * carry it. The heuristic needs nothing;
 * {@code embedding} takes the learned {@link TaskModel} bean that only a {@code -Pembedding} build carries, builds it
 * now (reading its model and training its head) so the first request does not pay for it, and fails start-up with what
 * to do when the build has none. With the heuristic, no learned model is touched, so none is loaded; the heuristic's
 * lexicon is read here instead of in the first request.
 */
@ApplicationScoped
public class ClassifierSelection {

    private static final Logger LOG = Logger.getLogger(ClassifierSelection.class);

    void onStart(@Observes StartupEvent event, Pool pool, @Any Instance<TaskModel> learned) {
        TaskModel model = choose(pool.routing().classifier(), learned);
        TaskClassifier.install(model);
        if (model != null) {
            LOG.infof("Task classifier: %s", model);
        } else {
            // Read the lexicon now (some tens of milliseconds) rather than in the first request.
            LOG.debugf("Task classifier: heuristic, %d lexicon terms", TaskLexicon.terms());
        }
    }

    /** The learned model to install, or null for the heuristic; {@code available} is only read for embedding. */
    static TaskModel choose(TaskClassifierKind kind, Iterable<? extends TaskModel> available) {
        if (kind != TaskClassifierKind.EMBEDDING) {
            return null;
        }
        Iterator<? extends TaskModel> models = available.iterator();
        if (!models.hasNext()) {
            throw new IllegalStateException("freeway.routing.classifier=embedding, but this build carries no embedding"
                    + " classifier: build with ./mvnw package -Pembedding (README, Task classification), or set"
                    + " freeway.routing.classifier=heuristic");
        }
        return models.next();
    }
}
