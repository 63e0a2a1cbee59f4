package dev.jhtrace.gdb;

import dev.jhtrace.spi.Engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gdb jhtrace runs: which executable, and whether it is usable (gdb 13 or newer with Python, on
 * x86-64 Linux). The executable is {@code gdb} on the PATH unless the system property
 * {@code jhtrace.gdb} or the environment variable {@code JHTRACE_GDB} names another.
 *
 * @param executable the gdb command
 */
public record GdbInstallation(String executable) {
    /** The oldest gdb with {@code gdb.MICommand}, which the helper needs. */
    public static final int MIN_MAJOR = 13;
    private static final String INSTALL = "install it with: apt-get install gdb (version " + MIN_MAJOR + " or newer, with Python)";
    private static final Pattern VERSION = Pattern.compile("jhtrace-gdb-version (\\d+)\\.(\\d+)");

    /** The gdb named by {@code jhtrace.gdb}, {@code JHTRACE_GDB}, or else {@code gdb}. */
    public static GdbInstallation fromEnvironment() {
        String p = System.getProperty("jhtrace.gdb");
        if (p == null || p.isBlank()) p = System.getenv("JHTRACE_GDB");
        return new GdbInstallation(p == null || p.isBlank() ? "gdb" : p);
    }

    /** Runs gdb once to learn its version and whether it has Python (about 0.2 s). */
    public Engine.Availability check() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux")) return new Engine.Availability(false, "the gdb engine traces Linux processes only; this is " + System.getProperty("os.name"));
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return new Engine.Availability(false, "the gdb engine supports x86-64 Linux only; this is " + arch);
        }
        String out;
        try {
            Process p = new ProcessBuilder(executable, "-nx", "-batch", "-ex",
                    "python import gdb; print('jhtrace-gdb-version ' + gdb.VERSION)").redirectErrorStream(true).start();
            p.getOutputStream().close();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Engine.Availability(false, executable + " did not answer; " + INSTALL);
            }
        } catch (IOException e) {
            return new Engine.Availability(false, "gdb not found (" + executable + "); " + INSTALL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Engine.Availability(false, "interrupted while checking gdb");
        }
        Matcher m = VERSION.matcher(out);
        if (!m.find()) {
            return new Engine.Availability(false, executable + " has no Python support; " + INSTALL);
        }
        int major = Integer.parseInt(m.group(1));
        String version = m.group(1) + "." + m.group(2);
        if (major < MIN_MAJOR) return new Engine.Availability(false, "gdb " + version + " is too old; " + INSTALL);
        return new Engine.Availability(true, "gdb " + version + " (" + executable + ")");
    }
}
