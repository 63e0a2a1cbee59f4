package dev.jhtrace.dbgeng.nt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the shared reference TSVs (found through the {@code jhtrace.shared} system property). */
final class ReferenceTables {
    private ReferenceTables() {
    }

    static Path shared() {
        String dir = System.getProperty("jhtrace.shared");
        if (dir != null && Files.isDirectory(Path.of(dir, "reference"))) return Path.of(dir);
        // the property did not arrive: look for "shared" beside the worktree, from the module directory up
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared").resolve("reference"))) return p.resolve("shared");
        }
        throw new IllegalStateException("cannot find the shared reference tables: set -Djhtrace.shared");
    }

    static List<String[]> rows(String file) {
        try {
            List<String> lines = Files.readAllLines(shared().resolve("reference").resolve(file));
            return lines.stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t", -1)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** name -> value_dec from ntdll-constants.tsv. */
    static Map<String, Long> ntdllConstants() {
        Map<String, Long> map = new HashMap<>();
        for (String[] r : rows("ntdll-constants.tsv")) map.put(r[0], Long.parseLong(r[1]));
        return map;
    }

    /** name -> value_dec from dbgeng-constants.tsv (also the Win32 CREATE_* flags and ERROR_* codes). */
    static Map<String, Long> dbgengConstants() {
        Map<String, Long> map = new HashMap<>();
        for (String[] r : rows("dbgeng-constants.tsv")) map.put(r[0], Long.parseLong(r[1]));
        return map;
    }

    /** "struct|field|arch" -> {offset (or -1), size} from struct-layouts.tsv. */
    static Map<String, long[]> layouts() {
        Map<String, long[]> map = new HashMap<>();
        for (String[] r : rows("struct-layouts.tsv")) {
            map.put(r[0] + "|" + r[1] + "|" + r[2], new long[]{r[3].isEmpty() ? -1 : Long.parseLong(r[3]), Long.parseLong(r[4])});
        }
        return map;
    }
}
