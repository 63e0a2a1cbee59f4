package dev.jhtrace.proc;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads a process's descriptors without the right to: directly when the tests do not run as root (pid 1 is
 * root's), else in a child JVM run as user {@code nobody} through {@code setpriv}.
 */
final class PermissionProbe {
    private PermissionProbe() {
    }

    /** The failure of listing {@code rootPid} as an unprivileged user (never succeeds: that is what is tested). */
    static JhtraceException readAsUnprivileged(int rootPid) throws IOException, InterruptedException {
        boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
        if (!root) {
            try {
                ProcFdReader.read(1);
            } catch (JhtraceException e) {
                return e;
            }
            throw new AssertionError("listing pid 1 as a normal user succeeded");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Path module = Path.of("").toAbsolutePath();
        String classpath = String.join(":", NativeExamples.root().resolve("core/target/classes").toString(),
                module.resolve("target/classes").toString(), module.resolve("target/test-classes").toString());
        Process p;
        try {
            p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
                    java, "-Xshare:auto", "-cp", classpath, PermissionProbe.class.getName(), Integer.toString(rootPid))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("setpriv is not installed: " + e.getMessage());
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        List<String> lines = out.lines().toList();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        String[] parts = last.split("\t", 2);
        Assumptions.assumeTrue(parts.length == 2 && !parts[0].equals("CANNOT_START"),
                "the unprivileged child JVM could not run (class files unreadable for nobody?): " + out);
        return new JhtraceException(Failure.valueOf(parts[0]), parts[1]);
    }

    /** Child side: prints {@code FAILURE<TAB>message}, or {@code LISTED<TAB>n} when the listing unexpectedly worked. */
    public static void main(String[] args) {
        try {
            System.out.println("LISTED\t" + ProcFdReader.read(Integer.parseInt(args[0])).size());
        } catch (JhtraceException e) {
            System.out.println(e.failure() + "\t" + e.getMessage());
        }
    }
}
