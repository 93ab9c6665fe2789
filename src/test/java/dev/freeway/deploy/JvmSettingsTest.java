package dev.freeway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One set of JVM flags (heap, GC, compiler; chosen and measured in bench/PROFILE.md) wherever Freeway is launched:
 * the README's run command, the container image, the Lambda function and the benchmark that measures them. Without
 * a heap setting the JVM takes a quarter of the machine's memory and keeps what it takes.
 */
class JvmSettingsTest {

    private static final Pattern BENCH_FLAGS = Pattern.compile("(?m)^SHIPPED_JAVA_OPTS=\"([^\"]*)\"");
    private static final Pattern MAX_HEAP = Pattern.compile("-Xmx(\\d+)m");

    @Test
    void the_run_command_the_image_the_lambda_function_and_the_benchmark_use_the_same_jvm_flags() throws IOException {
        List<String> readme = readmeRunCommand();
        assertTrue(readme.stream().anyMatch(f -> f.startsWith("-Xmx")), "the README's run command sets a heap: " + readme);
        assertTrue(readme.stream().anyMatch(f -> f.startsWith("-XX:+Use") && f.endsWith("GC")), "and a collector");
        assertEquals(readme, dockerfileFlags(), "deployment/knative/Dockerfile.jvm");
        assertEquals(readme, lambdaFlags(), "deployment/lambda/template.yaml JAVA_TOOL_OPTIONS");
        Matcher bench = BENCH_FLAGS.matcher(read("bench/lib.sh"));
        assertTrue(bench.find(), "bench/lib.sh sets SHIPPED_JAVA_OPTS");
        assertEquals(readme, jvmFlags(List.of(bench.group(1).split(" "))), "bench/lib.sh SHIPPED_JAVA_OPTS");
    }

    @Test
    void the_knative_container_has_room_for_the_heap_and_what_the_jvm_needs_beside_it() throws IOException {
        Matcher heap = MAX_HEAP.matcher(String.join(" ", dockerfileFlags()));
        assertTrue(heap.find(), "the image sets -Xmx in megabytes");
        JsonNode resources = ArtifactChecks.knativeContainer(Artifacts.documents(Artifacts.KNATIVE_SERVICE))
                .path("resources");
        long limit = mebibytes(resources.at("/limits/memory").asText());
        long request = mebibytes(resources.at("/requests/memory").asText());
        // beside the heap: metaspace, code cache, thread stacks, class data and buffers, about 110 MB measured
        assertTrue(limit >= Long.parseLong(heap.group(1)) + 128, "limit " + limit + "Mi for -Xmx" + heap.group(1) + "m");
        assertTrue(request <= limit, "request within the limit");
    }

    @Test
    void the_flag_reader_sees_only_jvm_flags() {
        assertEquals(List.of("-Xmx96m", "-XX:+UseSerialGC"),
                jvmFlags(List.of("java", "-Xmx96m", "-XX:+UseSerialGC", "-Dquarkus.http.host=127.0.0.1", "-jar", "x.jar")));
    }

    private static List<String> readmeRunCommand() throws IOException {
        String readme = read("README.md");
        String run = readme.substring(readme.indexOf("\n## Run\n"));
        String block = run.substring(run.indexOf("```bash") + 7, run.indexOf("```", run.indexOf("```bash") + 7));
        String command = Arrays.stream(block.split("\n")).filter(l -> l.contains("quarkus-run.jar")).findFirst()
                .orElseThrow(() -> new AssertionError("the README's Run section starts with the run command"));
        return jvmFlags(List.of(command.substring(command.indexOf(" java ")).trim().split("\\s+")));
    }

    private static List<String> dockerfileFlags() throws IOException {
        String dockerfile = read("deployment/knative/Dockerfile.jvm");
        String entrypoint = Arrays.stream(dockerfile.split("\n")).filter(l -> l.startsWith("ENTRYPOINT")).findFirst()
                .orElseThrow(() -> new AssertionError("the Dockerfile has an ENTRYPOINT"));
        JsonNode words = new ObjectMapper().readTree(entrypoint.substring("ENTRYPOINT".length()).trim());
        List<String> list = new ArrayList<>();
        words.forEach(w -> list.add(w.asText()));
        return jvmFlags(list);
    }

    private static List<String> lambdaFlags() {
        JsonNode options = ArtifactChecks.lambdaEnvironment(Artifacts.documents(Artifacts.LAMBDA_TEMPLATE))
                .path("JAVA_TOOL_OPTIONS");
        assertTrue(options.isTextual(), "the Lambda function sets JAVA_TOOL_OPTIONS");
        return jvmFlags(List.of(options.asText().trim().split("\\s+")));
    }

    /** The heap, GC and compiler flags: -X... and -XX:..., in order; system properties and the jar are not. */
    private static List<String> jvmFlags(List<String> words) {
        return words.stream().filter(w -> w.startsWith("-X")).toList();
    }

    private static long mebibytes(String quantity) {
        if (quantity.endsWith("Mi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2));
        }
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        throw new AssertionError("memory in Mi or Gi: " + quantity);
    }

    private static String read(String file) throws IOException {
        return Files.readString(Path.of(file));
    }
}
