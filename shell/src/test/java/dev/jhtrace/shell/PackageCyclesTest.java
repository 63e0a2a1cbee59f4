package dev.jhtrace.shell;

import dev.jhtrace.architecture.PackageGraph;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arrows one way: no package of the shell's main code uses, through others, a package that uses it; and the
 * shell reaches engines only through core's SPI, never an engine's own packages.
 */
class PackageCyclesTest {
    private static final PackageGraph GRAPH = PackageGraph.ofClasses(Path.of("target/classes"));

    @Test
    void noPackageCycles() {
        List<String> cycles = GRAPH.cycles();
        assertEquals(List.of(), cycles, String.join("\n", cycles));
    }

    @Test
    void theGraphSeesWhatTheClassesUse() {
        // the entry point runs the command line, and both the command line and the REPL use the shared options
        assertTrue(GRAPH.uses().get("dev.jhtrace.shell").containsKey("dev.jhtrace.shell.cli"), GRAPH.uses().get("dev.jhtrace.shell").toString());
        assertTrue(GRAPH.uses().get("dev.jhtrace.shell.repl").containsKey("dev.jhtrace.shell.options"));
        assertTrue(GRAPH.uses().get("dev.jhtrace.shell.cli").containsKey("dev.jhtrace.shell.options"));
    }

    @Test
    void noEnginePackageIsUsed() {
        for (Map.Entry<String, Map<String, String>> from : GRAPH.uses().entrySet()) {
            for (Map.Entry<String, String> to : from.getValue().entrySet()) {
                boolean engine = to.getKey().startsWith("dev.jhtrace.gdb") || to.getKey().startsWith("dev.jhtrace.dbgeng")
                        || to.getKey().startsWith("dev.jhtrace.perf") || to.getKey().startsWith("dev.jhtrace.proc"); // the Linux engines' /proc reader too
                assertFalse(engine, "the shell reaches engines through dev.jhtrace.spi only: " + to.getValue());
            }
        }
    }
}
