package dev.freeway;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN.md's dependency direction, read from the compiled classes (every class a class file names: types of fields,
 * methods, locals, annotations, generics), so it holds for fully qualified names and same-package-looking code alike.
 * Dependencies run one way, api → routing → (provider, quota) → config → catalog, with status between api and
 * routing, and no package cycle.
 */
class ArchitectureTest {

    /**
     * Each top-level package's layer: a package may use only lower layers (and its own subpackages). provider and
     * quota share a layer and so never know each other; so do routing and demo. security decides who may ask (the
     * api's filter answers); the cache sits in front of routing; status reads every layer below it.
     */
    static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("catalog", 0),
            Map.entry("config", 1),
            Map.entry("provider", 2), Map.entry("quota", 2),
            Map.entry("routing", 3), Map.entry("demo", 3),
            Map.entry("security", 4),
            Map.entry("cache", 5),
            Map.entry("status", 6),
            Map.entry("api", 7),
            Map.entry("check", 8),
            Map.entry("", 9)); // dev.freeway itself: FreewayMain

    private static final String ROOT = "dev.freeway";
    private static final Pattern CLASS_NAME = Pattern.compile("dev/freeway/(?:[a-z0-9_]+/)*[A-Z][\\w$]*");

    @Test
    void dependencies_point_down_the_layers() {
        Graph graph = Graph.of(compiledClasses());
        assertEquals(List.of(), graph.upward(), "dependencies against the direction (from -> to, e.g. one class)");
    }

    @Test
    void no_package_cycle() {
        assertEquals(List.of(), Graph.of(compiledClasses()).cycles(), "package cycles");
    }

    @Test
    void the_checks_catch_a_cycle_and_a_wrong_direction_in_a_made_up_graph() {
        Graph graph = new Graph();
        graph.add("dev.freeway.quota.Store", "dev.freeway.provider.Outcome");
        graph.add("dev.freeway.routing.Planner", "dev.freeway.routing.strategy.Strategy");
        graph.add("dev.freeway.routing.strategy.Strategy", "dev.freeway.routing.Candidate");
        graph.add("dev.freeway.catalog.Spec", "dev.freeway.config.Pool");
        graph.add("dev.freeway.routing.Planner", "dev.freeway.quota.Store");
        assertEquals(List.of("catalog -> config (dev.freeway.catalog.Spec uses dev.freeway.config.Pool)",
                "quota -> provider (dev.freeway.quota.Store uses dev.freeway.provider.Outcome)"), graph.upward());
        assertEquals(List.of(Set.of("dev.freeway.routing", "dev.freeway.routing.strategy")), graph.cycles());
    }

    /** Every class in the main output, by name, with the names of the dev.freeway classes it refers to. */
    private static Map<String, Set<String>> compiledClasses() {
        Path classes;
        try {
            classes = Path.of(FreewayMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace('\\', '/');
                name = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                try (InputStream in = Files.newInputStream(file)) {
                    uses.put(name, referencedClasses(in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(uses.size() > 100, "compiled classes found in " + classes);
        return uses;
    }

    /**
     * The dev.freeway classes a class file's constant pool names: class entries, descriptors and signatures (all
     * UTF-8 entries except string literals).
     */
    static Set<String> referencedClasses(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        in.readInt(); // magic
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        Map<Integer, String> texts = new HashMap<>();
        Set<Integer> literals = new HashSet<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> texts.put(i, in.readUTF());
                case 8 -> literals.add(in.readUnsignedShort());
                case 7, 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // a long or double takes two entries
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        Set<String> names = new TreeSet<>();
        texts.forEach((index, text) -> {
            if (!literals.contains(index)) {
                Matcher name = CLASS_NAME.matcher(text);
                while (name.find()) {
                    names.add(name.group().replace('/', '.'));
                }
            }
        });
        return names;
    }

    /** Packages and the packages they use, with one class pair per dependency for the message. */
    static final class Graph {

        private final Map<String, Map<String, String>> edges = new TreeMap<>();

        static Graph of(Map<String, Set<String>> uses) {
            Graph graph = new Graph();
            uses.forEach((from, targets) -> targets.forEach(to -> graph.add(from, to)));
            return graph;
        }

        void add(String fromClass, String toClass) {
            String from = packageOf(fromClass);
            String to = packageOf(toClass);
            if (!from.equals(to)) {
                edges.computeIfAbsent(from, k -> new TreeMap<>()).putIfAbsent(to, fromClass + " uses " + toClass);
            }
        }

        /** Dependencies to a layer that is not lower; each with one example. */
        List<String> upward() {
            List<String> wrong = new ArrayList<>();
            edges.forEach((from, targets) -> targets.forEach((to, example) -> {
                String edge = family(from) + " -> " + family(to);
                if (!family(from).equals(family(to)) && layer(to) >= layer(from)) {
                    wrong.add(edge + " (" + example + ")");
                }
            }));
            return wrong.stream().distinct().toList();
        }

        /** Strongly connected groups of more than one package (Tarjan). */
        List<Set<String>> cycles() {
            Set<String> nodes = new TreeSet<>(edges.keySet());
            edges.values().forEach(t -> nodes.addAll(t.keySet()));
            Map<String, Integer> index = new HashMap<>();
            Map<String, Integer> low = new HashMap<>();
            Deque<String> stack = new ArrayDeque<>();
            Set<String> onStack = new HashSet<>();
            List<Set<String>> groups = new ArrayList<>();
            for (String node : nodes) {
                if (!index.containsKey(node)) {
                    connect(node, index, low, stack, onStack, groups);
                }
            }
            return groups.stream().filter(g -> g.size() > 1).toList();
        }

        private void connect(String node, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                             Set<String> onStack, List<Set<String>> groups) {
            index.put(node, index.size());
            low.put(node, index.get(node));
            stack.push(node);
            onStack.add(node);
            for (String next : edges.getOrDefault(node, Map.of()).keySet()) {
                if (!index.containsKey(next)) {
                    connect(next, index, low, stack, onStack, groups);
                    low.put(node, Math.min(low.get(node), low.get(next)));
                } else if (onStack.contains(next)) {
                    low.put(node, Math.min(low.get(node), index.get(next)));
                }
            }
            if (low.get(node).equals(index.get(node))) {
                Set<String> group = new TreeSet<>();
                String member;
                do {
                    member = stack.pop();
                    onStack.remove(member);
                    group.add(member);
                } while (!member.equals(node));
                groups.add(group);
            }
        }

        private static String packageOf(String className) {
            return className.substring(0, className.lastIndexOf('.'));
        }

        /** The top-level package under dev.freeway ("" for dev.freeway itself). */
        private static String family(String pkg) {
            if (pkg.equals(ROOT)) {
                return "";
            }
            String rest = pkg.substring(ROOT.length() + 1);
            int dot = rest.indexOf('.');
            return dot < 0 ? rest : rest.substring(0, dot);
        }

        private static int layer(String pkg) {
            Integer layer = LAYERS.get(family(pkg));
            if (layer == null) {
                throw new AssertionError("package " + pkg + " has no layer: add " + family(pkg)
                        + " to ArchitectureTest.LAYERS and to DESIGN.md's layout");
            }
            return layer;
        }
    }
}
