package dev.jhtrace.perf;

import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.TraceOptions;

import java.util.List;

/**
 * A JVM that launches the command in its arguments under the perf engine, prints "tracing PERF_RECORD_PID", waits for
 * the command's end and for its child's first two descriptors in the trace, prints "shell ended; child traced 2", and
 * waits to be killed (PerfLaunchChildrenTest: jhtrace dying while it traces a launch's child).
 */
public final class LaunchAndHold {
    private LaunchAndHold() {
    }

    public static void main(String[] args) throws Exception {
        PerfHandleSource source = new PerfEngine().launch(new ProcessBuilder(List.of(args)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT), TraceOptions.DEFAULT);
        System.out.println("tracing " + source.perfTracing().recordPid());
        System.out.flush();
        source.launchedProcess().orElseThrow().waitFor();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            long files = 0;
            for (HandleSource c : source.children()) {
                files += c.tracing().orElseThrow().log().events().stream().filter(e -> e.kind() == dev.jhtrace.model.EventKind.OPEN
                        && e.stack().frames().stream().anyMatch(f -> "leak_config_file".equals(f.function()))).count();
            }
            if (files >= 2) {
                System.out.println("shell ended; child traced " + files);
                System.out.flush();
                break;
            }
            Thread.sleep(50); // a look at the trace, not a settling wait: the deadline bounds it
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
