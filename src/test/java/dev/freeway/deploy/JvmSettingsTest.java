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
    private static final Pattern IMAGE_JDK = Pattern.compile("(?m)^FROM eclipse-temurin:(\\d+)-jre");
    private static final Pattern TRAINING = Pattern.compile(
            "(?m)^RUN JAVA_TOOL_OPTIONS=\"([^\"]*)\" \\\\\n\\s*\\./start-up-archive\\.sh (\\S+)");

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

    /**
     * A start-up archive is valid only for the JVM, the flags and the jar path it was made with: a JVM that finds it
     * made otherwise starts without it, silently slower. So the image makes it with the ENTRYPOINT's own flags, in
     * the directory the ENTRYPOINT's jar is in, and starts with the kind its JDK writes (deployment/start-up-archive.sh:
     * an AOT cache from JDK 25, an AppCDS archive before).
     */
    @Test
    void the_image_starts_with_the_archive_it_made_with_its_own_flags_and_jar_path() throws IOException {
        String dockerfile = read("deployment/knative/Dockerfile.jvm");
        Matcher training = TRAINING.matcher(dockerfile);
        assertTrue(training.find(), "the image makes its archive with deployment/start-up-archive.sh");
        assertEquals(dockerfileFlags(), jvmFlags(List.of(training.group(1).split(" "))), "the training run's flags");
        Matcher jdk = IMAGE_JDK.matcher(dockerfile);
        assertTrue(jdk.find(), "the image names its JDK");
        String archive = training.group(2) + (Integer.parseInt(jdk.group(1)) >= 25 ? "/app.aot" : "/app.jsa");
        String use = archive.endsWith(".aot") ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
        List<String> entrypoint = entrypoint(dockerfile);
        assertEquals(List.of(use + archive), entrypoint.stream().filter(JvmSettingsTest::archiveFlag).toList());
        assertEquals(training.group(2) + "/quarkus-run.jar", entrypoint.get(entrypoint.indexOf("-jar") + 1));
        assertTrue(read("deployment/start-up-archive.sh").contains("-jar \"$PWD/quarkus-run.jar\""),
                "the script trains with the jar's absolute path, as the ENTRYPOINT names it");
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

    /** The ENTRYPOINT's heap, GC and compiler flags (for StartUpArchiveIT, which trains and starts with them). */
    static List<String> dockerfileFlags() throws IOException {
        return jvmFlags(entrypoint(read("deployment/knative/Dockerfile.jvm")));
    }

    private static List<String> entrypoint(String dockerfile) throws IOException {
        String entrypoint = Arrays.stream(dockerfile.split("\n")).filter(l -> l.startsWith("ENTRYPOINT")).findFirst()
                .orElseThrow(() -> new AssertionError("the Dockerfile has an ENTRYPOINT"));
        JsonNode words = new ObjectMapper().readTree(entrypoint.substring("ENTRYPOINT".length()).trim());
        List<String> list = new ArrayList<>();
        words.forEach(w -> list.add(w.asText()));
        return list;
    }

    private static List<String> lambdaFlags() {
        JsonNode options = ArtifactChecks.lambdaEnvironment(Artifacts.documents(Artifacts.LAMBDA_TEMPLATE))
                .path("JAVA_TOOL_OPTIONS");
        assertTrue(options.isTextual(), "the Lambda function sets JAVA_TOOL_OPTIONS");
        return jvmFlags(List.of(options.asText().trim().split("\\s+")));
    }

    /**
     * The heap, GC and compiler flags: -X... and -XX:..., in order; system properties, the jar and the start-up
     * archive (the image's own, see above) are not.
     */
    private static List<String> jvmFlags(List<String> words) {
        return words.stream().filter(w -> w.startsWith("-X") && !archiveFlag(w)).toList();
    }

    private static boolean archiveFlag(String word) {
        return word.startsWith("-XX:SharedArchiveFile=") || word.startsWith("-XX:AOTCache=");
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
