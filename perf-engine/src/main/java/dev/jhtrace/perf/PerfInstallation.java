package dev.jhtrace.perf;

import dev.jhtrace.spi.Engine.Availability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The perf tool and what this machine lets it do: perf and setpriv on the PATH, the right to record syscall
 * tracepoints of other processes (root, CAP_PERFMON or CAP_SYS_ADMIN), and tracefs with the syscall tracepoints.
 *
 * @param perf    the perf command
 * @param setpriv the setpriv command (util-linux), which gives perf its parent-death signal
 */
record PerfInstallation(String perf, String setpriv) {
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    private static final Path DEBUGFS_TRACING = Path.of("/sys/kernel/debug/tracing");

    /** perf and setpriv from the PATH. */
    static PerfInstallation fromPath() {
        return new PerfInstallation("perf", "setpriv");
    }

    /**
     * Whether the perf engine can run here, and if not, why and what to change. Permission is checked first and
     * named: a machine with perf but without the right gets "not permitted", never a half-working trace.
     */
    Availability check() {
        String version = run(perf, "version");
        if (version == null) return new Availability(false, "perf not found: apt-get install -y linux-perf");
        if (run(setpriv, "--version") == null) return new Availability(false, "setpriv not found (util-linux): apt-get install -y util-linux");
        String permission = missingPermission();
        if (permission != null) return new Availability(false, permission);
        Scan scan = scan();
        Set<String> tracepoints = scan.names();
        if (!tracepoints.contains("sys_exit_openat") || !tracepoints.contains("sys_enter_close")) {
            return new Availability(false, version.strip() + ", but no syscall tracepoints readable in tracefs (kernel without CONFIG_FTRACE_SYSCALLS,"
                    + " tracefs not mounted and not mountable by this user: mount -t tracefs nodev " + TRACEFS + ", or not readable: chmod -R o+rX " + TRACEFS + ")");
        }
        return new Availability(true, version.strip() + " (" + (isRoot() ? "root" : hasCapability(CAP_PERFMON) ? "CAP_PERFMON" : "CAP_SYS_ADMIN")
                + ", " + tracepoints.size() + " syscall tracepoints" + (scan.mounted() == null ? "" : "; " + scan.mounted()) + ")");
    }

    /**
     * Why this process may not record other processes' tracepoints, or null when it may. Only the effective capabilities
     * count: root whose capabilities were dropped (a container, {@code setpriv --bounding-set=-all}) is refused by the
     * kernel as anyone else is.
     */
    static String missingPermission() {
        if (hasCapability(CAP_PERFMON) || hasCapability(CAP_SYS_ADMIN)) return null;
        return "not permitted: missing capability CAP_PERFMON (recording syscall tracepoints of other processes needs it, or root with it:"
                + " setcap cap_perfmon+ep on the java binary, or run as root); kernel.perf_event_paranoid=" + paranoid()
                + (isRootUid() ? "; this process runs as root without it (capabilities dropped)" : "");
    }

    /** Uid 0 with CAP_PERFMON or CAP_SYS_ADMIN effective (the right to a ring of RingSize comes with it). */
    static boolean isRoot() {
        return isRootUid() && missingPermission() == null;
    }

    private static boolean isRootUid() {
        return "0".equals(statusField("Uid:", 1));
    }

    private static boolean hasCapability(int bit) {
        String eff = statusField("CapEff:", 0);
        if (eff == null) return false;
        return (Long.parseUnsignedLong(eff, 16) >>> bit & 1) == 1;
    }

    /** Field {@code index} (0: first value) of a {@code /proc/self/status} line. */
    private static String statusField(String name, int index) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith(name)) {
                    String[] f = line.substring(name.length()).strip().split("\\s+");
                    return f.length > index ? f[index] : null;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static String paranoid() {
        return dev.jhtrace.proc.Sysctl.value("kernel.perf_event_paranoid").orElse("?");
    }

    /** The syscall tracepoints this kernel has ({@code sys_enter_close}, {@code sys_exit_openat} ...), tracefs mounted if need be. */
    Set<String> syscallTracepoints() {
        return scan().names();
    }

    /**
     * The tracepoints found, and who mounted tracefs when it was not (null when it was).
     *
     * @param names   the syscall tracepoints
     * @param mounted what mounted tracefs, in words, or null
     */
    private record Scan(Set<String> names, String mounted) {
    }

    /**
     * The syscall tracepoints, mounting tracefs when it is missing and this process may (CAP_SYS_ADMIN): explicitly
     * on {@code /sys/kernel/tracing}, else through perf, which mounts it on its first use ({@code perf list}).
     */
    private Scan scan() {
        Set<String> names = list();
        if (!names.isEmpty()) return new Scan(names, null);
        if (isEmptyDirectory(TRACEFS) && hasCapability(CAP_SYS_ADMIN) && run("mount", "-t", "tracefs", "nodev", TRACEFS.toString()) != null) {
            names = list();
            if (!names.isEmpty()) return new Scan(names, "tracefs was not mounted: jhtrace mounted it on " + TRACEFS);
        }
        run(perf, "list", "syscalls:sys_exit_openat");
        names = list();
        return new Scan(names, names.isEmpty() ? null : "tracefs was not mounted: perf mounted it");
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** The tracefs root holding the syscall tracepoints ({@code /sys/kernel/tracing}, or debugfs's), or null. */
    static Path tracefs() {
        for (Path root : new Path[] {TRACEFS, DEBUGFS_TRACING}) if (Files.isDirectory(root.resolve("events/syscalls"))) return root;
        return null;
    }

    private static Set<String> list() {
        for (Path root : new Path[] {TRACEFS, DEBUGFS_TRACING}) {
            Path dir = root.resolve("events/syscalls");
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                Set<String> names = new TreeSet<>();
                s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("sys_")).forEach(names::add);
                return names;
            } catch (IOException e) {
                return Set.of();
            }
        }
        return Set.of();
    }

    /** The command's output, or null when it cannot run or fails. */
    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
