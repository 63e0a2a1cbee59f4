package dev.jhtrace.architecture;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Arrows one way: no package of core's main code uses, through others, a package that uses it. */
class PackageCyclesTest {

    @Test
    void coreHasNoPackageCycles() {
        List<String> cycles = PackageGraph.ofClasses(Path.of("target/classes")).cycles();
        assertEquals(List.of(), cycles, String.join("\n", cycles));
    }

    @Test
    void theGraphSeesWhatTheClassesUse() {
        PackageGraph g = PackageGraph.ofClasses(Path.of("target/classes"));
        // WindbgImport diffs with HtraceDiff; the model uses nothing of the analysis
        assertTrue(g.uses().get("dev.jhtrace.windbg").containsKey("dev.jhtrace.analysis"), g.uses().get("dev.jhtrace.windbg").toString());
        assertTrue(g.uses().get("dev.jhtrace.model").keySet().stream().noneMatch(p -> p.equals("dev.jhtrace.analysis")));
    }

    @Test
    void aCycleIsFoundAndNamedWithItsWitnesses() {
        PackageGraph g = new PackageGraph(Map.of(
                "a", Map.of("b", "a.A -> b.B"),
                "b", Map.of("c", "b.B -> c.C"),
                "c", Map.of("a", "c.C -> a.A", "d", "c.C -> d.D"),
                "d", Map.of()));
        List<String> cycles = g.cycles();
        assertEquals(1, cycles.size(), cycles.toString());
        assertEquals("a <-> b <-> c:\n    a.A -> b.B\n    b.B -> c.C\n    c.C -> a.A", cycles.get(0));
    }

    @Test
    void noCycleInAChain() {
        assertEquals(List.of(), new PackageGraph(Map.of("a", Map.of("b", "x"), "b", Map.of("c", "y"))).cycles());
    }
}
