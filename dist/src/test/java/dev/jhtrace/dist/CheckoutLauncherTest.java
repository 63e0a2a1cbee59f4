package dev.jhtrace.dist;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's own {@code ./jhtrace} launcher, run as a file in a checkout: the real script and the real jar, in a
 * copy of the checkout's layout. Only Maven is stood in for (a script that records how it was called), so
 * that a test never rebuilds the tree it runs in.
 */
@EnabledOnOs(OS.LINUX)
class CheckoutLauncherTest {
    private static final Path LAUNCHER = Path.of(System.getProperty("jhtrace.checkout.launcher"));
    private static final Path JAR = Path.of(System.getProperty("jhtrace.shell.jar"));
    private static final String VERSION = System.getProperty("jhtrace.version");

    @TempDir
    Path checkout;
    private Path jar;
    private Path source;
    private Path mavenCalls;

    @BeforeEach
    void copyTheCheckout() throws Exception {
        Files.copy(LAUNCHER, checkout.resolve("jhtrace"));
        // the sources first (their folders count too: a file added is a change), then the jar built from them
        source = Files.createDirectories(checkout.resolve("shell/src/main/java")).resolve("Main.java");
        Files.writeString(source, "class Main {}\n");
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        jar = Files.createDirectories(checkout.resolve("shell/target")).resolve("jhtrace.jar");
        Files.copy(JAR, jar);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(2)));
        mavenCalls = checkout.resolve("maven-calls.txt");
    }

    /** The stand-in for the Maven wrapper: records its arguments, then succeeds (touching the jar, as a build does) or fails. */
    private void maven(boolean succeeds) throws Exception {
        Path mvnw = checkout.resolve("mvnw");
        Files.writeString(mvnw, "#!/bin/sh\necho \"$*\" >> '" + mavenCalls + "'\n"
                + (succeeds ? "touch '" + jar + "'\nexit 0\n" : "echo '[ERROR] BUILD FAILURE: Main.java:[1,1] error'\nexit 1\n"));
        Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwx------"));
    }

    private record Result(int code, String out, String err) {
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(checkout.resolve("jhtrace").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(checkout.toFile());
        pb.environment().putAll(env);
        File out = checkout.resolve("out.txt").toFile(), err = checkout.resolve("err.txt").toFile();
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectOutput(out).redirectError(err).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher ended");
        return new Result(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    }

    @Test
    void aFreshJarRunsAtOnceWithTheLaunchersJvmFlags() throws Exception {
        maven(true);
        // the JVM prints the flags it was started with: the launcher's defaults must be among them
        Result r = run(Map.of("JAVA_TOOL_OPTIONS", "-XX:+PrintCommandLineFlags"), "--version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(VERSION), r.out());
        assertTrue(r.out().contains("-XX:TieredStopAtLevel=1") && r.out().contains("-XX:+UseSerialGC"), r.out());
        assertFalse(Files.exists(mavenCalls), "no build for a jar newer than every source");
    }

    @Test
    void jhtraceJavaOptsReplaceTheDefaults() throws Exception {
        maven(true);
        Result r = run(Map.of("JAVA_TOOL_OPTIONS", "-XX:+PrintCommandLineFlags", "JHTRACE_JAVA_OPTS", "-XX:+UseParallelGC"), "--version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("-XX:+UseParallelGC") && !r.out().contains("-XX:+UseSerialGC"), r.out());
    }

    @Test
    void aSourceNewerThanTheJarRebuildsItFirst() throws Exception {
        maven(true);
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(60)));
        Result r = run(Map.of(), "--version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().startsWith("jhtrace: building"), r.err());
        assertEquals(List.of("-B -q -Dstyle.color=never -DskipTests package -pl shell -am"), Files.readAllLines(mavenCalls));
        assertTrue(r.out().contains(VERSION), "then runs: " + r.out());
    }

    @Test
    void aFailedBuildShowsMavensOutputAndExitsOne() throws Exception {
        maven(false);
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(60)));
        Result r = run(Map.of(), "--version");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("BUILD FAILURE: Main.java:[1,1] error"), r.err());
        assertTrue(r.err().strip().endsWith("jhtrace: build failed"), r.err());
        assertEquals("", r.out());
    }
}
