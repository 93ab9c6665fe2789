package dev.freeway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freeway.api.RouteFailureMapper;
import dev.freeway.routing.RouteFailure;
import dev.freeway.routing.Skip;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A native image carries only the resources and reflective types it is told about, and finds out at run time when
 * one is missing. No GraalVM where Freeway is built, so this test reads the code instead: every resource it loads
 * by name is in {@code quarkus.native.resources.includes}, every type Jackson writes or reads by reflection is
 * registered, and nothing scans the class path at run time.
 */
class NativeReadinessTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path RESOURCES = Path.of("src/main/resources");
    private static final Path CLASSES = Path.of("target/classes");
    /** Resources Quarkus registers by itself: configuration, service files, Qute templates, static web content. */
    private static final List<String> REGISTERED_BY_QUARKUS = List.of("application.properties", "META-INF/**",
            "templates/**");
    /**
     * Loaded by name but deliberately left out: the redis-server binaries of embedded-redis serve only the local
     * default (no Redis configured), which Lambda and Knative never use; a native image would carry megabytes of
     * them for nothing. A native binary run locally uses redis-server from PATH.
     */
    private static final Map<String, String> LEFT_OUT = Map.of("EmbeddedRedis.java",
            "embedded-redis binaries (local default only; native uses redis-server from PATH)");
    private static final Pattern RESOURCE_LOAD = Pattern.compile("getResource(?:AsStream)?\\(\\s*([^)]*?)\\s*\\)");
    /** A string literal that names a resource file: a path ending in an extension resources have (not a URL-ish id). */
    private static final Pattern PATH_LITERAL = Pattern.compile(
            "\"(/?[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+\\.(?:yaml|yml|json|lua|tiktoken|txt|properties|html|csv))\"");

    @Test
    void every_resource_the_code_loads_by_name_is_in_the_native_image() throws IOException {
        List<PathMatcher> includes = includes();
        Set<String> loaded = resourcesLoadedByName();
        assertTrue(loaded.containsAll(List.of("catalog/providers.yaml", "quota/reserve.lua",
                "com/knuddels/jtokkit/cl100k_base.tiktoken")), "the scan finds what the code loads: " + loaded);

        for (String resource : loaded) {
            assertNotNull(getClass().getClassLoader().getResource(resource), resource + " is loaded but does not exist");
            assertTrue(matchesAny(includes, resource), resource + " is loaded by name but missing from"
                    + " quarkus.native.resources.includes in application.properties");
        }
    }

    @Test
    void every_file_shipped_as_a_resource_is_in_the_native_image() throws IOException {
        List<PathMatcher> includes = includes();
        List<PathMatcher> quarkus = REGISTERED_BY_QUARKUS.stream().map(NativeReadinessTest::glob).toList();
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String resource = RESOURCES.relativize(file).toString().replace('\\', '/');
                assertTrue(matchesAny(quarkus, resource) || matchesAny(includes, resource),
                        resource + " ships in the jar but a native image would leave it out");
            }
        }
    }

    @Test
    void types_jackson_binds_by_reflection_are_registered() throws Exception {
        // Class literals handed to Jackson's data binding (readValue(json, X.class) and friends).
        Pattern binding = Pattern.compile("\\b(?:readValue|convertValue|treeToValue|readerFor|writerFor|forType|constructType)"
                + "\\s*\\([^;]*?\\b([A-Z]\\w*)\\.class");
        for (Path file : javaFiles()) {
            Matcher call = binding.matcher(Files.readString(file));
            while (call.find()) {
                assertRegisteredIfOurs(call.group(1), file + ": Jackson binds " + call.group(1) + " by reflection");
            }
        }
        // What resource methods and exception mappers return is written by Jackson.
        List<String> checked = new ArrayList<>();
        for (Class<?> type : compiledClasses()) {
            for (Method method : type.getDeclaredMethods()) {
                if (writesBody(type, method)) {
                    assertTrue(safe(method.getGenericReturnType()), type.getName() + "." + method.getName()
                            + " returns " + method.getGenericReturnType() + ": return a JSON tree, a Map or a List,"
                            + " or annotate the type with @RegisterForReflection");
                    checked.add(type.getSimpleName() + "." + method.getName());
                }
            }
        }
        assertTrue(checked.containsAll(List.of("ModelsResource.list", "ChatResource.chat", "ApiErrorMapper.toResponse")),
                "the scan sees the resources: " + checked);
        // Response entities are typed Object: walk the error bodies every routing failure produces.
        List<Skip> skipped = List.of(new Skip("groq/openai/gpt-oss-120b", "team-a", "parked", Instant.now()));
        for (RouteFailure.Kind kind : RouteFailure.Kind.values()) {
            Response response = new RouteFailureMapper(java.time.Clock.systemUTC()).toResponse(new RouteFailure(kind, "why", "code", 429,
                    Instant.now(), skipped));
            assertPlainJson(response.getEntity(), kind + " error body");
        }
    }

    @Test
    void nothing_scans_the_class_path_at_run_time() throws IOException {
        List<String> scanning = List.of("ServiceLoader.load", ".getResources(", "Class.forName(", "io.github.classgraph",
                "org.reflections", "getPackages(", "ClassPath.from(");
        for (Path file : javaFiles()) {
            String source = Files.readString(file);
            for (String call : scanning) {
                assertFalse(source.contains(call), file + " uses " + call + ": a native image has no class path to scan;"
                        + " let Quarkus discover it at build time (a bean, @RegisterForReflection, a META-INF/services entry)");
            }
        }
    }

    /** Names the code loads: path literals, what each getResource call site computes, and the tokenizer's encoding. */
    private static Set<String> resourcesLoadedByName() throws IOException {
        Set<String> names = new TreeSet<>();
        for (Path file : javaFiles()) {
            String source = Files.readString(file);
            Matcher literal = PATH_LITERAL.matcher(source);
            while (literal.find()) {
                names.add(strip(literal.group(1)));
            }
            Matcher load = RESOURCE_LOAD.matcher(source);
            while (load.find()) {
                names.addAll(loadedAt(file, source, load.group(1)));
            }
            // jtokkit reads its encodings from its own jar by name and ships no native metadata for them.
            Matcher encoding = Pattern.compile("EncodingType\\.(\\w+)").matcher(source);
            while (encoding.find()) {
                names.add("com/knuddels/jtokkit/" + encoding.group(1).toLowerCase(Locale.ROOT) + ".tiktoken");
            }
        }
        return names;
    }

    /** The resource names one getResource call site can load; fails for a call site it cannot read. */
    private static List<String> loadedAt(Path file, String source, String argument) throws IOException {
        String name = file.getFileName().toString();
        if (argument.startsWith("\"")) {
            return List.of(strip(argument.substring(1, argument.length() - 1)));
        }
        Matcher constant = Pattern.compile("\\b" + Pattern.quote(argument) + "\\s*=\\s*\"([^\"]+)\"\\s*;").matcher(source);
        if (constant.find()) {
            return List.of(strip(constant.group(1)));
        }
        if (name.equals("LuaScript.java")) {
            return luaScripts(source);
        }
        if (LEFT_OUT.containsKey(name)) {
            return List.of();
        }
        fail(file + " loads a resource named by `" + argument + "`, which this test cannot follow: load a constant"
                + " path, or teach this test how the name is built");
        return List.of();
    }

    /**
     * LuaScript.load("reserve") (or withPrelude, or text for the prelude) reads /quota/reserve.lua: the template is
     * read from LuaScript itself.
     */
    private static List<String> luaScripts(String source) throws IOException {
        Matcher template = Pattern.compile("\"([^\"]*)\"\\s*\\+\\s*name\\s*\\+\\s*\"([^\"]*)\"").matcher(source);
        assertTrue(template.find(), "LuaScript no longer builds its path as \"<prefix>\" + name + \"<suffix>\"");
        List<String> scripts = new ArrayList<>();
        Matcher load = Pattern.compile("\\b(?:load|withPrelude|text)\\(\"([\\w-]+)\"\\)").matcher(source);
        while (load.find()) {
            scripts.add(strip(template.group(1) + load.group(1) + template.group(2)));
        }
        try (Stream<Path> files = Files.list(RESOURCES.resolve("quota"))) {
            assertEquals(files.map(f -> "quota/" + f.getFileName()).sorted().toList(), scripts.stream().sorted().toList(),
                    "every script under quota/ is loaded, and every loaded one exists");
        }
        return scripts;
    }

    private static List<PathMatcher> includes() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(RESOURCES.resolve("application.properties"))) {
            properties.load(in);
        }
        String includes = properties.getProperty("quarkus.native.resources.includes");
        assertNotNull(includes, "application.properties sets no quarkus.native.resources.includes");
        return Arrays.stream(includes.split(",")).map(String::trim).map(NativeReadinessTest::glob).toList();
    }

    private static PathMatcher glob(String pattern) {
        return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    }

    private static boolean matchesAny(List<PathMatcher> globs, String resource) {
        return globs.stream().anyMatch(g -> g.matches(Path.of(resource)));
    }

    private static String strip(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }

    private static List<Class<?>> compiledClasses() throws Exception {
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = CLASSES.relativize(file).toString().replace('/', '.').replace('\\', '.');
                classes.add(Class.forName(name.substring(0, name.length() - ".class".length()), false,
                        NativeReadinessTest.class.getClassLoader()));
            }
        }
        return classes;
    }

    private static boolean writesBody(Class<?> type, Method method) {
        for (Class<? extends Annotation> verb : List.of(GET.class, POST.class, PUT.class, DELETE.class, PATCH.class,
                ServerExceptionMapper.class)) {
            if (method.isAnnotationPresent(verb)) {
                return true;
            }
        }
        return ExceptionMapper.class.isAssignableFrom(type) && method.getName().equals("toResponse") && !method.isBridge();
    }

    /** A type Jackson writes without reflection on Freeway's classes, or one registered for it. */
    private static boolean safe(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            return safe(parameterized.getRawType())
                    && Arrays.stream(parameterized.getActualTypeArguments()).allMatch(NativeReadinessTest::safe);
        }
        if (type instanceof WildcardType wildcard) {
            return Arrays.stream(wildcard.getUpperBounds()).allMatch(NativeReadinessTest::safe);
        }
        if (!(type instanceof Class<?> raw)) {
            return false;
        }
        return raw.isPrimitive() || raw == Object.class || raw == String.class || Number.class.isAssignableFrom(raw)
                || raw == Boolean.class || Map.class.isAssignableFrom(raw) || Collection.class.isAssignableFrom(raw)
                || JsonNode.class.isAssignableFrom(raw) || raw == Response.class || raw == StreamingOutput.class
                || CompletionStage.class.isAssignableFrom(raw) || raw.getName().startsWith("io.smallrye.mutiny.")
                || raw.getName().equals("io.quarkus.qute.TemplateInstance")
                || raw.isAnnotationPresent(RegisterForReflection.class);
    }

    private static void assertPlainJson(Object value, String where) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof JsonNode) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> assertPlainJson(item, where + "." + key));
        } else if (value instanceof Collection<?> items) {
            items.forEach(item -> assertPlainJson(item, where + "[]"));
        } else {
            assertTrue(value.getClass().isAnnotationPresent(RegisterForReflection.class), where + " holds a "
                    + value.getClass().getName() + ", which Jackson writes by reflection: register it or write it"
                    + " as a Map or String");
        }
    }

    private static void assertRegisteredIfOurs(String simpleName, String message) throws IOException {
        Pattern declaration = Pattern.compile("((?:@[\\w.]+(?:\\([^)]*\\))?\\s+)*)(?:public\\s+|static\\s+|final\\s+)*"
                + "(?:class|record|enum)\\s+" + simpleName + "\\b");
        for (Path file : javaFiles()) {
            Matcher declared = declaration.matcher(Files.readString(file));
            if (declared.find()) {
                assertTrue(declared.group(1).contains("@RegisterForReflection"), message + " (declared in " + file
                        + ") without @RegisterForReflection");
            }
        }
    }
}
