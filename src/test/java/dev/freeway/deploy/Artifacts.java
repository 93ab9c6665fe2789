package dev.freeway.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Reads the deployment artefacts under {@code deployment/} and {@code infra/} as plain YAML trees. */
final class Artifacts {

    static final String LAMBDA_TEMPLATE = "deployment/lambda/template.yaml";
    static final String LAMBDA_CONFIG = "deployment/lambda/config/freeway.yaml";
    static final String KNATIVE_SERVICE = "deployment/knative/service.yaml";
    static final String KNATIVE_CONFIG = "deployment/knative/config.yaml";
    static final String ELASTICACHE = "infra/aws/elasticache.yaml";
    static final String K8S_REDIS = "infra/kubernetes/redis.yaml";
    static final String K8S_REDIS_PERSISTENT = "infra/kubernetes/redis-persistent.yaml";

    static final String COMPOSE = "deployment/compose/compose.yaml";
    static final String COMPOSE_CONFIG = "deployment/compose/freeway.yaml";
    static final String PROMETHEUS = "deployment/compose/prometheus.yml";
    static final String GRAFANA_DATASOURCE = "deployment/compose/grafana/datasource.yaml";
    static final String GRAFANA_DASHBOARDS = "deployment/compose/grafana/dashboards.yaml";
    static final String GRAFANA_DASHBOARD = "deployment/grafana/freeway-dashboard.json";

    static final List<String> ALL = List.of(LAMBDA_TEMPLATE, LAMBDA_CONFIG, KNATIVE_SERVICE, KNATIVE_CONFIG,
            ELASTICACHE, K8S_REDIS, K8S_REDIS_PERSISTENT, COMPOSE, COMPOSE_CONFIG, PROMETHEUS, GRAFANA_DATASOURCE,
            GRAFANA_DASHBOARDS, GRAFANA_DASHBOARD);

    /** Text shaped like a provider key: OpenAI-style {@code sk-}, Groq {@code gsk_}, Google {@code AIza}, Hugging Face {@code hf_}. */
    static final Pattern PROVIDER_KEY = Pattern.compile("(?<![A-Za-z0-9])(sk-|gsk_|AIza|hf_)[A-Za-z0-9_-]{8,}");

    /** A whole value that CloudFormation resolves from Secrets Manager at deploy time (Fn::Sub may name the secret). */
    static final Pattern SECRETS_MANAGER_REFERENCE =
            Pattern.compile("^\\{\\{resolve:secretsmanager:(?:[^{}$]|\\$\\{[A-Za-z0-9.:]+})+}}$");

    private static final YAMLMapper YAML = new YAMLMapper();

    private Artifacts() {
    }

    /** The repository root: Maven runs tests in the module directory. */
    static Path root() {
        return Path.of("").toAbsolutePath();
    }

    /** Every document of a YAML file, in order, as one array (a CloudFormation template is element 0). */
    static ArrayNode documents(String relative) {
        return documents(root().resolve(relative));
    }

    static ArrayNode documents(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(file + " cannot be read or parsed: " + e.getMessage(), e);
        }
    }

    static ArrayNode parse(String yaml) throws IOException {
        ArrayNode documents = JsonNodeFactory.instance.arrayNode();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                JsonNode document = it.nextValue();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    /** The YAML and JSON files under deployment/ and infra/, relative to the root, with forward slashes. */
    static Set<String> yamlAndJsonFiles() throws IOException {
        return allFiles().stream()
                .filter(f -> f.endsWith(".yaml") || f.endsWith(".yml") || f.endsWith(".json"))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** Every file under deployment/ and infra/, relative to the root, with forward slashes. */
    static List<String> allFiles() throws IOException {
        List<String> files = new ArrayList<>();
        for (String dir : List.of("deployment", "infra")) {
            try (Stream<Path> walk = Files.walk(root().resolve(dir))) {
                walk.filter(Files::isRegularFile)
                        .map(f -> root().relativize(f).toString().replace('\\', '/'))
                        .forEach(files::add);
            }
        }
        return files;
    }

    /** The YAML tags ({@code !Ref}, {@code !Sub}, ...) in a text; a tree read by Jackson silently drops them. */
    static List<String> tags(String yaml) throws IOException {
        List<String> tags = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(yaml)) {
            while (parser.nextToken() != null) {
                if (parser.canReadTypeId() && parser.getTypeId() != null) {
                    tags.add("!" + parser.getTypeId() + " at line " + parser.currentLocation().getLineNr());
                }
            }
        }
        return tags;
    }

    /** The one document of the given kind in a Kubernetes file. */
    static JsonNode kind(ArrayNode documents, String kind) {
        List<JsonNode> found = new ArrayList<>();
        documents.forEach(d -> {
            if (kind.equals(d.path("kind").asText())) {
                found.add(d);
            }
        });
        assertEquals(1, found.size(), "expected exactly one " + kind);
        return found.get(0);
    }

    /** The one CloudFormation resource of the given type, with its logical id. */
    static Resource resource(JsonNode template, String type) {
        List<Resource> found = new ArrayList<>();
        template.path("Resources").fields().forEachRemaining(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                found.add(new Resource(e.getKey(), e.getValue()));
            }
        });
        assertEquals(1, found.size(), "expected exactly one " + type + " resource");
        return found.get(0);
    }

    record Resource(String id, JsonNode node) {
        JsonNode properties() {
            return node.path("Properties");
        }
    }

    /**
     * A CloudFormation string: a literal, or the text of {@code Fn::Sub} (whose {@code ${...}} are template names).
     * Anything else (Ref, Fn::If, ...) is not a plain string and yields null.
     */
    static String stringOrSub(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isObject() && value.size() == 1 && value.path("Fn::Sub").isTextual()) {
            return value.path("Fn::Sub").asText();
        }
        return null;
    }

    /** The (when true, when false) branches of {@code {"Fn::If": [condition, a, b]}}. */
    static JsonNode[] ifBranches(JsonNode value, String condition, String what) {
        JsonNode branches = value.path("Fn::If");
        assertTrue(branches.isArray() && branches.size() == 3, what + " must be Fn::If [" + condition + ", a, b]: " + value);
        assertEquals(condition, branches.get(0).asText(), what + " must be chosen by condition " + condition);
        return new JsonNode[] {branches.get(1), branches.get(2)};
    }

    /** Whether a value is {@code {"Ref": name}}. */
    static boolean isRef(JsonNode value, String name) {
        return value.isObject() && value.size() == 1 && name.equals(value.path("Ref").asText(null));
    }

    /** Applies a change to a deep copy, so a check can be run against an artefact missing one field. */
    static ArrayNode changed(ArrayNode documents, Consumer<ArrayNode> change) {
        ArrayNode copy = documents.deepCopy();
        change.accept(copy);
        return copy;
    }

    /** Removes the node at a JSON pointer ({@code ~1} stands for '/' in a name); fails if nothing is there. */
    static Consumer<ArrayNode> remove(String pointer) {
        return documents -> {
            JsonPointer path = JsonPointer.compile(pointer);
            JsonNode parent = documents.at(path.head());
            if (parent instanceof ObjectNode object && object.has(path.last().getMatchingProperty())) {
                object.remove(path.last().getMatchingProperty());
            } else if (parent instanceof ArrayNode array && path.last().getMatchingIndex() >= 0
                    && path.last().getMatchingIndex() < array.size()) {
                array.remove(path.last().getMatchingIndex());
            } else {
                fail("nothing to remove at " + pointer + "; the test case is stale");
            }
        };
    }

    /** Replaces the value at a JSON pointer with a string; fails if nothing is there. */
    static Consumer<ArrayNode> replace(String pointer, String value) {
        return documents -> {
            JsonPointer path = JsonPointer.compile(pointer);
            JsonNode parent = documents.at(path.head());
            if (parent instanceof ObjectNode object && object.has(path.last().getMatchingProperty())) {
                object.put(path.last().getMatchingProperty(), value);
            } else {
                fail("nothing to replace at " + pointer + "; the test case is stale");
            }
        };
    }
}
