package dev.jhtrace.dbgeng.jna;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the shared reference tables (/work/shared/reference/*.tsv) that the bindings are checked against. */
public final class ReferenceTables {
    private ReferenceTables() {
    }

    public static Path dir() {
        String shared = System.getProperty("jhtrace.shared");
        if (shared == null) throw new IllegalStateException("system property jhtrace.shared is not set (run through Maven)");
        return Path.of(shared, "reference");
    }

    /** Rows as column-name maps. */
    public static List<Map<String, String>> rows(String file) {
        try {
            List<String> lines = Files.readAllLines(dir().resolve(file), StandardCharsets.UTF_8);
            String[] header = lines.get(0).split("\t", -1);
            List<Map<String, String>> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) continue;
                String[] cells = line.split("\t", -1);
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length; i++) row.put(header[i], i < cells.length ? cells[i] : "");
                out.add(row);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** interface -> slot -> method, from dbgeng-vtables.tsv. */
    public static Map<String, Map<Integer, String>> vtables() {
        Map<String, Map<Integer, String>> out = new HashMap<>();
        for (Map<String, String> r : rows("dbgeng-vtables.tsv")) {
            out.computeIfAbsent(r.get("interface"), k -> new HashMap<>()).put(Integer.parseInt(r.get("slot")), r.get("method"));
        }
        return out;
    }

    /** The slot of a method in an interface's full vtable. */
    public static int slot(String iface, String method) {
        return vtables().get(iface).entrySet().stream().filter(e -> e.getValue().equals(method))
                .mapToInt(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError(iface + " has no method " + method + " in the reference table"));
    }
}
