package dev.jhtrace.windbg;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each fixture damaged further (lines dropped, duplicated, cut, digits grown past 64 bits, characters swapped):
 * parsing, importing and rendering never throw, and every problem still names its file and a real line.
 */
class MangledInputTest {

    static List<Path> fixtures() {
        return Fixtures.allWindbg();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void damageNeverBreaksTheParser(Path file) throws IOException {
        List<String> original = Files.readAllLines(file);
        Random random = new Random(file.getFileName().toString().hashCode());
        for (int round = 0; round < 40; round++) {
            List<String> lines = new ArrayList<>(original);
            for (int k = 0; k < 3; k++) mangle(lines, random);
            String name = file.getFileName() + "#" + round;
            WindbgLogParser parser = new WindbgLogParser();
            WindbgLog log = parser.parse(name, String.join("\n", lines));
            for (ParseProblem p : log.problems()) {
                assertEquals(name, p.source());
                assertTrue(p.line() >= 1 && p.line() <= lines.size(), p.toString());
            }
            WindbgImport imp = WindbgImport.of(List.of(log), parser.stacks());
            imp.leakReport();
            imp.handleListing();
            WindbgWriter.htraceDiff(imp.diff());
            WindbgWriter.handleListing(imp.handleListing());
            new WindbgLogParser().parse(name, WindbgWriter.render(log));
        }
    }

    private static void mangle(List<String> lines, Random r) {
        if (lines.isEmpty()) return;
        int i = r.nextInt(lines.size());
        String l = lines.get(i);
        switch (r.nextInt(6)) {
            case 0 -> lines.remove(i);
            case 1 -> lines.add(i, l);
            case 2 -> lines.set(i, l.substring(0, r.nextInt(l.length() + 1)));
            case 3 -> lines.set(i, l.replaceFirst("0x", "0x" + "f".repeat(20)));
            case 4 -> lines.set(i, l.replaceAll("[0-9]+", "99999999999999999999"));
            default -> {
                if (l.length() > 1) {
                    int j = r.nextInt(l.length() - 1);
                    lines.set(i, l.substring(0, j) + l.charAt(j + 1) + l.charAt(j) + l.substring(j + 2));
                }
            }
        }
    }
}
