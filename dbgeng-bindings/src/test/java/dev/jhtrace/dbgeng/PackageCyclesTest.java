package dev.jhtrace.dbgeng;

import dev.jhtrace.architecture.PackageGraph;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Arrows one way: no package of this module's main code uses, through others, a package that uses it. */
class PackageCyclesTest {

    @Test
    void noPackageCycles() {
        List<String> cycles = PackageGraph.ofClasses(Path.of("target/classes")).cycles();
        assertEquals(List.of(), cycles, String.join("\n", cycles));
    }
}
