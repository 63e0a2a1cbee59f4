package dev.jhtrace.windbg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The shared, read-only WinDbg transcripts and seeds (system property {@code jhtrace.shared}). */
final class Fixtures {
    private Fixtures() {
    }

    static Path shared() {
        String dir = System.getProperty("jhtrace.shared", "../../shared");
        return Path.of(dir);
    }

    static Path windbg(String prefix) {
        try (Stream<Path> s = Files.list(shared().resolve("fixtures/windbg"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no fixture " + prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> allWindbg() {
        try (Stream<Path> s = Files.list(shared().resolve("fixtures/windbg"))) {
            return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static WindbgLog parse(String prefix) {
        return new WindbgLogParser().parse(windbg(prefix));
    }

    /** The fixture's text without its {@code # } header lines and the blank line after them. */
    static String body(String prefix) {
        try {
            List<String> lines = Files.readAllLines(windbg(prefix));
            int i = 0;
            while (i < lines.size() && lines.get(i).startsWith("# ")) i++;
            while (i < lines.size() && lines.get(i).isBlank()) i++;
            return String.join("\n", lines.subList(i, lines.size())) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines {@code from}..{@code to} (1-based, inclusive) of a seed file. */
    static String seedLines(String prefix, int from, int to) {
        try (Stream<Path> s = Files.list(shared().resolve("seeds"))) {
            Path p = s.filter(x -> x.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
            List<String> lines = Files.readAllLines(p);
            return String.join("\n", lines.subList(from - 1, to)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
