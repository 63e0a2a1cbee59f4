package dev.jhtrace.gdb;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.TraceLog;
import dev.jhtrace.spi.TraceOptions;

import java.util.Arrays;
import java.util.List;

/**
 * For benchmarks/engine-overhead.sh: launches a command traced by the gdb engine (stdio inherited),
 * waits for it to exit and prints the number of events captured.
 */
public final class OverheadRunner {
    private OverheadRunner() {
    }

    public static void main(String[] args) throws Exception {
        List<String> command = Arrays.asList(args);
        try (GdbHandleSource source = new GdbEngine().launch(new ProcessBuilder(command).inheritIO(), TraceOptions.DEFAULT)) {
            Process p = source.launchedProcess().orElseThrow();
            p.waitFor();
            while (source.isAlive()) Thread.sleep(10);
            TraceLog log = source.tracing().orElseThrow().log();
            long opens = log.events().stream().filter(e -> e.kind() == EventKind.OPEN).count();
            System.out.println("jhtrace events " + log.size() + " opens " + opens + " lost " + log.lostEvents()
                    + " distinct-stacks " + log.events().stream().map(e -> e.stack()).distinct().count());
        }
    }
}
