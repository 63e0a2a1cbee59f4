package dev.jhtrace.perf;

import dev.jhtrace.examples.JavaProgram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link HotSpotMethods} reads of a live JVM by itself (the naming of real interpreted frames is
 * {@code PerfJavaFramesTest}'s): the layout from the JVM's own tables, nothing from what is no method, nothing from a
 * process without a JVM.
 */
class HotSpotMethodsTest {
    private static final Path LIBJVM = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");

    @TempDir
    Path dir;

    /** The symbols as binutils' nm reads them: libjvm.so's first loaded page is at address 0, so they are its offsets. */
    @Test
    void theJvmsTablesAreFoundAmongItsDynamicSymbols() throws Exception {
        Set<String> names = Set.of("gHotSpotVMStructs", "gHotSpotVMIntConstants", "JNI_CreateJavaVM", "no_such_symbol");
        Process nm = new ProcessBuilder("nm", "-D", "--defined-only", LIBJVM.toString()).redirectErrorStream(true).start();
        Map<String, Long> expected = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(nm.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(" ");
                String name = f.length == 3 ? f[2].replaceAll("@.*", "") : "";
                if (names.contains(name)) expected.put(name, Long.parseUnsignedLong(f[0], 16));
            }
        }
        assertTrue(nm.waitFor(30, TimeUnit.SECONDS));
        assertEquals(3, expected.size(), expected.toString());
        assertEquals(expected, ElfFile.dynamicSymbolOffsets(LIBJVM, names));
    }

    @Test
    @Timeout(120)
    void aLiveJvmsInterpreterFrameLayoutComesFromItsOwnTables() throws Exception {
        Process jvm = new ProcessBuilder(JavaProgram.leakyJava(DrivenProcess.root(), dir, List.of(), "hold")).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", out.readLine());
            Optional<HotSpotMethods> methods = HotSpotMethods.of((int) jvm.pid());
            assertTrue(methods.isPresent());
            try (HotSpotMethods m = methods.get()) {
                // frame_x86.hpp: interpreter_frame_method_offset = -3 (words below the frame pointer)
                assertEquals(-24, m.methodSlot());
                assertNull(m.name(0));
                assertNull(m.name(12), "not aligned");
                assertNull(m.name(libjvmStart(jvm.pid())), "the library's ELF header is no method");
            }
            assertTrue(jvm.isAlive(), "read, never stopped");
        } finally {
            jvm.destroyForcibly();
        }
    }

    @Test
    void linesAreReadOnlyFromReleasesWhoseFramesAndTablesAreKnown() {
        assertEquals(17, HotSpotMethods.majorVersion("17.0.15+6-Debian-1deb12u1"));
        assertEquals(8, HotSpotMethods.majorVersion("1.8.0_402-b06"));
        assertEquals(21, HotSpotMethods.majorVersion("21.0.2+13-LTS"));
        assertEquals(Integer.MAX_VALUE, HotSpotMethods.majorVersion("unknown"));
        assertTrue(HotSpotMethods.lineTablesKnown(17) && HotSpotMethods.lineTablesKnown(11) && HotSpotMethods.lineTablesKnown(9));
        assertFalse(HotSpotMethods.lineTablesKnown(8), "no mirror slot: the byte-code pointer is elsewhere");
        assertFalse(HotSpotMethods.lineTablesKnown(21), "an encoding not known here");
        assertFalse(HotSpotMethods.lineTablesKnown(Integer.MAX_VALUE));
    }

    @Test
    @Timeout(60)
    void aProcessWithoutAJvmHasNoMethods() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            assertTrue(HotSpotMethods.of((int) sleep.pid()).isEmpty());
            assertTrue(HotSpotMethods.of(Integer.MAX_VALUE).isEmpty(), "no such process");
        } finally {
            sleep.destroyForcibly();
        }
    }

    private static long libjvmStart(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps"))) {
            if (line.endsWith("/libjvm.so")) return Long.parseUnsignedLong(line.substring(0, line.indexOf('-')), 16);
        }
        throw new AssertionError("no libjvm.so in the JVM's maps");
    }
}
