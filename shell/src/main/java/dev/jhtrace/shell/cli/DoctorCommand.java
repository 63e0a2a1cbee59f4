package dev.jhtrace.shell.cli;

import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code jhtrace doctor}: what this machine offers jhtrace, and what to fix. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the engines: debugger found and its version, permissions, what to install.")
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("jhtrace on %s %s, Java %s (%s-bit)%n", System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), System.getProperty("sun.arch.data.model", "?"));
        boolean any = false;
        List<Engine> engines = Engines.all();
        for (Engine e : engines) {
            Engine.Availability a = e.availability();
            any |= a.available();
            out.printf("%-9s %-13s %s%n", e.name(), a.available() ? "available" : "unavailable", a.detail());
        }
        if (any) out.println("live:     " + Engines.liveChoice().reason());
        for (Engine e : engines) {
            for (String line : e.diagnostics()) out.println(line);
        }
        if (!System.getProperty("os.name", "").startsWith("Windows")) {
            out.println("ptrace:   " + ptraceScope(sysctl(Path.of("/proc/sys/kernel/yama/ptrace_scope"))));
            out.println("perf:     " + perfEventParanoid(sysctl(Path.of("/proc/sys/kernel/perf_event_paranoid"))));
        }
        out.flush();
        return any ? 0 : dev.jhtrace.spi.Failure.ENGINE_UNAVAILABLE.exitCode();
    }

    /** What kernel.perf_event_paranoid at {@code value} (null: none) allows, in words (root and CAP_PERFMON are not bound by it). */
    static String perfEventParanoid(String value) {
        if (value == null) return "no perf events on this kernel";
        return "kernel.perf_event_paranoid=" + value + ("-1".equals(value) ? " (anyone may record tracepoints)"
                : " (tracepoints of other processes need root or CAP_PERFMON: run as root, or setcap cap_perfmon+ep on java)");
    }

    /** What kernel.yama.ptrace_scope at {@code value} (null: none) allows, in words. */
    static String ptraceScope(String value) {
        if (value == null) return "no Yama ptrace restrictions on this kernel (any process of the same user can be traced)";
        return "kernel.yama.ptrace_scope=" + value + switch (value) {
            case "0" -> " (processes of the same user can be traced)";
            case "1" -> " (only descendants can be traced: run jhtrace as root, or use 'leaks -- CMD', or sysctl kernel.yama.ptrace_scope=0)";
            case "2" -> " (only root can trace: run jhtrace as root)";
            case "3" -> " (tracing is disabled until reboot)";
            default -> "";
        };
    }

    /**
     * A kernel setting's file in /proc/sys, its first line, or null when there is none. Not {@code Files.readString}: such
     * a file reports size 0, so the JDK reads one byte first, and the kernel answers a number's file at any later offset
     * with end-of-file (perf_event_paranoid's "-1" was read as "-"). The engines read theirs with linux-proc's Sysctl.
     */
    static String sysctl(Path file) {
        try (java.io.BufferedReader in = Files.newBufferedReader(file)) {
            String line = in.readLine();
            return line == null ? null : line.strip();
        } catch (IOException e) {
            return null;
        }
    }
}
