package dev.jhtrace.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds a one-file Java example with the running JDK's {@code javac}, and the command that runs it. */
public final class JavaProgram {
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    private static final Compiler JAVAC = new Compiler("javac", "openjdk-17-jdk-headless", 120);

    private JavaProgram() {
    }

    /** Compiles {@code source} (class NAME in NAME.java) into {@code classes} unless its class file is newer; returns {@code classes}. */
    public static synchronized Path build(Path source, Path classes) {
        String name = source.getFileName().toString().replaceFirst("\\.java$", "");
        JAVAC.build(source, classes.resolve(name + ".class"),
                List.of(JAVA_HOME.resolve("bin/javac").toString(), "-d", classes.toString(), source.toString()), pb -> { });
        return classes;
    }

    /**
     * The command running {@code examples/linux/LeakyJava.java} of {@code root} (compiled into {@code classes}) with
     * its leakOne compiled, never inlined, after 3,000 warm-up calls, then leaking 5 files; {@code mode} "hold" waits on
     * stdin (see the program).
     */
    public static List<String> leakyJava(Path root, Path classes, List<String> jvmOptions, String... mode) {
        build(root.resolve("examples/linux/LeakyJava.java"), classes);
        List<String> options = new ArrayList<>(List.of("-Xbatch", "-XX:CompileCommand=quiet", "-XX:CompileCommand=dontinline,LeakyJava::leakOne"));
        options.addAll(jvmOptions);
        List<String> args = new ArrayList<>(List.of("3000", "5"));
        args.addAll(List.of(mode));
        return command(classes, options, "LeakyJava", args.toArray(String[]::new));
    }

    /**
     * Writes {@code /tmp/perf-PID.map} as an earlier process with the same pid would have left it: an hour old, naming
     * every address {@code Stale.method()}, a method the JVM of that pid does not have. Returns its path.
     */
    public static Path plantStalePerfMap(long pid) throws IOException {
        Path map = Path.of("/tmp/perf-" + pid + ".map");
        Files.writeString(map, "0 7fffffffffff void Stale.method()\n");
        Files.setLastModifiedTime(map, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        return map;
    }

    /** The command that runs class {@code mainClass} from {@code classes} on this JDK: {@code java OPTIONS -cp CLASSES MAIN ARGS}. */
    public static List<String> command(Path classes, List<String> jvmOptions, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA_HOME.resolve("bin/java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classes.toString(), mainClass));
        command.addAll(List.of(args));
        return command;
    }
}
