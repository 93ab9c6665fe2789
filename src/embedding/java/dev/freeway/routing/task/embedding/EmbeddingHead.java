package dev.freeway.routing.task.embedding;

import dev.freeway.routing.task.Task;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A nearest-neighbour head over sentence embeddings: the tuning set's prompts as unit vectors with their tasks. A
 * prompt goes to the task with the most similarity among its {@link #K} nearest examples. Written at build time by
 * {@link HeadTrainer}, read at start-up; immutable and thread-safe once read.
 */
final class EmbeddingHead {

    /** Neighbours that vote: odd, and small enough that a task with a handful of close examples still wins. */
    static final int K = 7;
    private static final int MAGIC = 0x46574831; // "FWH1"

    private final Task[] tasks;
    private final float[][] vectors;

    EmbeddingHead(Task[] tasks, float[][] vectors) {
        this.tasks = tasks;
        this.vectors = vectors;
    }

    int size() {
        return tasks.length;
    }

    /** The vote of the nearest examples; {@code leaveOut} ignores examples as similar as the prompt itself. */
    Vote vote(float[] query, boolean leaveOut) {
        int[] nearest = new int[K];
        double[] similarity = new double[K];
        java.util.Arrays.fill(nearest, -1);
        java.util.Arrays.fill(similarity, -2);
        for (int i = 0; i < vectors.length; i++) {
            double s = dot(query, vectors[i]);
            if (leaveOut && s > 0.9999) {
                continue;
            }
            int at = K - 1;
            if (s <= similarity[at]) {
                continue;
            }
            while (at > 0 && similarity[at - 1] < s) {
                similarity[at] = similarity[at - 1];
                nearest[at] = nearest[at - 1];
                at--;
            }
            similarity[at] = s;
            nearest[at] = i;
        }
        double[] votes = new double[Task.values().length];
        int[] counts = new int[votes.length];
        for (int j = 0; j < K && nearest[j] >= 0; j++) {
            votes[tasks[nearest[j]].ordinal()] += Math.max(similarity[j], 0);
            counts[tasks[nearest[j]].ordinal()]++;
        }
        int best = 0;
        for (int t = 1; t < votes.length; t++) {
            best = votes[t] > votes[best] ? t : best;
        }
        return new Vote(Task.values()[best], counts[best], similarity[0]);
    }

    /**
     * @param task    the task the neighbours chose
     * @param votes   how many of the {@link #K} nearest examples have it
     * @param nearest the similarity of the nearest example
     */
    record Vote(Task task, int votes, double nearest) {
    }

    void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        data.writeInt(tasks.length);
        data.writeInt(tasks.length == 0 ? 0 : vectors[0].length);
        for (int i = 0; i < tasks.length; i++) {
            data.writeByte(tasks[i].ordinal());
            for (float x : vectors[i]) {
                data.writeFloat(x);
            }
        }
        data.flush();
    }

    static EmbeddingHead read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != MAGIC) {
            throw new IOException("not an embedding head");
        }
        int count = data.readInt();
        int dimension = data.readInt();
        Task[] tasks = new Task[count];
        float[][] vectors = new float[count][dimension];
        for (int i = 0; i < count; i++) {
            tasks[i] = Task.values()[data.readByte()];
            for (int d = 0; d < dimension; d++) {
                vectors[i][d] = data.readFloat();
            }
        }
        return new EmbeddingHead(tasks, vectors);
    }

    /** The vector scaled to length 1, so a dot product is the cosine similarity. */
    static float[] unit(float[] vector) {
        double norm = 0;
        for (float x : vector) {
            norm += x * x;
        }
        float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = vector[i] * scale;
        }
        return unit;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
