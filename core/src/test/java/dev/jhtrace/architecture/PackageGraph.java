package dev.jhtrace.architecture;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which jhtrace package uses which, read from compiled classes: every class, field and method type a class file's
 * constant pool names (what the JVM links against, so a fully qualified name in the source counts as much as an
 * import; constants the compiler inlined and Javadoc links do not). Used by each module's {@code PackageCyclesTest}
 * to keep the arrows between packages one way.
 *
 * @param uses package -> the packages its classes use, with one class of each edge as the witness ("a.B -> c.D")
 */
public record PackageGraph(Map<String, Map<String, String>> uses) {
    private static final Pattern CLASS_NAME = Pattern.compile("dev/jhtrace/[A-Za-z0-9_/$]+");

    /** The graph of the classes under {@code classesDir} (a module's {@code target/classes}). */
    public static PackageGraph ofClasses(Path classesDir) {
        if (!Files.isDirectory(classesDir)) throw new IllegalArgumentException("no compiled classes in " + classesDir);
        Map<String, Map<String, String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classesDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String self = classesDir.relativize(f).toString().replace('\\', '/').replaceAll("\\.class$", "");
                String from = packageOf(self);
                Map<String, String> edges = uses.computeIfAbsent(from, k -> new TreeMap<>());
                for (String used : classNames(f)) {
                    String to = packageOf(used);
                    if (!to.equals(from)) edges.putIfAbsent(to, self.replace('/', '.') + " -> " + used.replace('/', '.'));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PackageGraph(uses);
    }

    /** The cycles: each a strongly connected set of two or more packages, with the edges inside it and their witnesses. */
    public List<String> cycles() {
        List<String> found = new ArrayList<>();
        for (Set<String> component : stronglyConnected()) {
            if (component.size() < 2) continue;
            StringBuilder s = new StringBuilder(String.join(" <-> ", component)).append(':');
            for (String from : component) {
                for (Map.Entry<String, String> e : uses.getOrDefault(from, Map.of()).entrySet()) {
                    if (component.contains(e.getKey())) s.append("\n    ").append(e.getValue());
                }
            }
            found.add(s.toString());
        }
        return found;
    }

    /** Tarjan's algorithm, iterative so that deep graphs cannot overflow the stack. */
    private List<Set<String>> stronglyConnected() {
        Set<String> nodes = new TreeSet<>(uses.keySet());
        uses.values().forEach(m -> nodes.addAll(m.keySet()));
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<Set<String>> result = new ArrayList<>();
        for (String root : nodes) {
            if (index.containsKey(root)) continue;
            Deque<Map.Entry<String, java.util.Iterator<String>>> work = new ArrayDeque<>();
            visit(root, index, low, stack, onStack, work);
            while (!work.isEmpty()) {
                Map.Entry<String, java.util.Iterator<String>> top = work.peek();
                String v = top.getKey();
                if (top.getValue().hasNext()) {
                    String w = top.getValue().next();
                    if (!index.containsKey(w)) visit(w, index, low, stack, onStack, work);
                    else if (onStack.contains(w)) low.put(v, Math.min(low.get(v), index.get(w)));
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = work.peek().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    Set<String> component = new TreeSet<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (!w.equals(v));
                    result.add(component);
                }
            }
        }
        return result;
    }

    private void visit(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                       Deque<Map.Entry<String, java.util.Iterator<String>>> work) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        work.push(Map.entry(v, uses.getOrDefault(v, Map.of()).keySet().iterator()));
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return internalName.substring(0, Math.max(slash, 0)).replace('/', '.');
    }

    /** The jhtrace classes named anywhere in a class file's constant pool (class entries, descriptors, signatures). */
    static Set<String> classNames(Path classFile) throws IOException {
        Set<String> names = new TreeSet<>();
        try (InputStream raw = Files.newInputStream(classFile); DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
            if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file: " + classFile);
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> { // Utf8: class names, descriptors and signatures all live here
                        Matcher m = CLASS_NAME.matcher(in.readUTF());
                        while (m.find()) names.add(m.group().replaceAll("\\$.*", ""));
                    }
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> { // long and double take two slots
                        in.readLong();
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag + " in " + classFile);
                }
            }
        }
        return names;
    }
}
