package dev.jhtrace.windbg;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every shared WinDbg transcript parses, with problems only where the capture is really damaged beyond repair. */
class AllFixturesTest {

    /** Fixtures with lines no recognizer can place: 031 is cut inside the word "IoCompletion". */
    private static final Map<String, Integer> EXPECTED_PROBLEMS = Map.of("031", 1);

    static List<Path> fixtures() {
        return Fixtures.allWindbg();
    }

    @Test
    void allThirtyThreeFixturesAreThere() {
        assertEquals(33, fixtures().size());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void parses(Path file) throws IOException {
        WindbgLog log = new WindbgLogParser().parse(file);
        String name = file.getFileName().toString();
        assertEquals(name, log.source());
        assertFalse(log.outputs().isEmpty(), "no command output");
        assertTrue(log.outputs().stream().anyMatch(o -> !(o.content() instanceof OtherOutput)), "no !htrace or !handle output recognized");

        List<String> raw = Files.readAllLines(file);
        for (ParseProblem p : log.problems()) {
            assertEquals(name, p.source());
            assertTrue(p.line() >= 1 && p.line() <= raw.size(), "line out of range: " + p);
            assertTrue(raw.get(p.line() - 1).contains(p.text()), "problem text not on its line: " + p);
            assertTrue(p.toString().startsWith(name + ":" + p.line() + ": "), p.toString());
        }
        assertEquals(EXPECTED_PROBLEMS.getOrDefault(name.substring(0, 3), 0), log.problems().size(), log.problems().toString());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void outputLinesPointAtPromptsOrFirstOutputLine(Path file) throws IOException {
        WindbgLog log = new WindbgLogParser().parse(file);
        List<String> raw = Files.readAllLines(file);
        for (CommandOutput o : log.outputs()) {
            String at = raw.get(o.line() - 1);
            if (o.prompt() != null) assertTrue(at.contains(o.prompt() + ">"), at);
            else assertFalse(at.isBlank());
        }
    }
}
