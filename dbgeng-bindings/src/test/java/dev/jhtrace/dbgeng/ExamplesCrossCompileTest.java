package dev.jhtrace.dbgeng;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Cross-compiles examples/windows with mingw-w64 when {@code x86_64-w64-mingw32-gcc} is installed
 * (skipped otherwise), with warnings as errors, and checks each result is an x64 console PE image.
 */
class ExamplesCrossCompileTest {
    private static final String COMPILER = "x86_64-w64-mingw32-gcc";

    static Path examplesDir() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path dir = p.resolve("examples").resolve("windows");
            if (Files.isRegularFile(dir.resolve("leak_common.h"))) return dir;
        }
        throw new IllegalStateException("examples/windows not found above " + System.getProperty("user.dir"));
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        return Stream.of(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    @Test
    void everyExampleCompilesToAnX64ConsoleProgram() throws Exception {
        assumeTrue(onPath(COMPILER), COMPILER + " is not installed");
        Path dir = examplesDir();
        Path out = Files.createDirectories(Path.of("target", "windows-examples"));
        List<Path> sources;
        try (Stream<Path> s = Files.list(dir)) {
            sources = s.filter(p -> p.getFileName().toString().matches("leak_.*\\.c")).sorted().toList();
        }
        assertEquals(4, sources.size(), sources.toString());
        for (Path c : sources) {
            String name = c.getFileName().toString().replace(".c", ".exe");
            Path exe = out.resolve(name);
            Files.deleteIfExists(exe);
            List<String> cmd = new ArrayList<>(List.of(COMPILER, "-std=c11", "-O0", "-g", "-Wall", "-Wextra", "-Werror",
                    "-o", exe.toString(), c.toString(), "-ladvapi32"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "compiler timed out on " + c);
            assertEquals(0, p.exitValue(), c + ":\n" + log);
            assertX64ConsolePe(Files.readAllBytes(exe), name);
            assertTrue(Files.readString(c).contains("<- leaks"), c + " marks its leaking call");
        }
    }

    private static void assertX64ConsolePe(byte[] image, String name) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals('M', image[0], name);
        assertEquals('Z', image[1], name);
        int pe = b.getInt(0x3C);
        assertEquals(0x00004550, b.getInt(pe), name + ": PE signature");
        assertEquals(0x8664, b.getShort(pe + 4) & 0xFFFF, name + ": machine is x64");
        int optional = pe + 24;
        assertEquals(0x20B, b.getShort(optional) & 0xFFFF, name + ": PE32+");
        assertEquals(3, b.getShort(optional + 68) & 0xFFFF, name + ": console subsystem");
    }
}
