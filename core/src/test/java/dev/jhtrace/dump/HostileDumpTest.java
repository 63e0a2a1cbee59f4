package dev.jhtrace.dump;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static dev.jhtrace.dump.TestDumpWriter.getU32;
import static dev.jhtrace.dump.TestDumpWriter.putU32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile input: every case ends in one clear line (BAD_INPUT), never a raw exception, an OOM or a hang. */
class HostileDumpTest {

    /** A dump with every stream the reader decodes, a 40-byte handle stream with chains, and stream 18. */
    private static byte[] good() {
        return SyntheticDumpTest.leakingDump()
                .handle(0x48, "Mutant", "\\BaseNamedObjects\\m", 0x1f0001, new ObjectInfo(3, new byte[16]), new ObjectInfo(2, new byte[8]))
                .build();
    }

    private static StreamEntry stream(byte[] dump, int type) {
        return Minidump.parse(dump, "good.dmp").directory().stream().filter(e -> e.streamType() == type).findFirst().orElseThrow();
    }

    /** Patches a copy of {@code base}, expects BAD_INPUT whose one-line message contains {@code expected}. */
    private static JhtraceException rejects(byte[] base, Consumer<byte[]> patch, String expected) {
        byte[] dump = base.clone();
        patch.accept(dump);
        JhtraceException e = assertThrows(JhtraceException.class, () -> Minidump.parse(dump, "hostile.dmp"));
        assertEquals(Failure.BAD_INPUT, e.failure(), e.getMessage());
        assertTrue(e.getMessage().startsWith("hostile.dmp: not a usable minidump: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void theBaseDumpIsGood() {
        Minidump d = Minidump.parse(good(), "good.dmp");
        assertEquals(6, d.handles().size());
        assertEquals(11, d.operations().size());
        assertEquals(3, d.modules().size());
    }

    @Test
    void headerProblems() {
        byte[] g = good();
        rejects(new byte[0], d -> { }, "fewer than a minidump header");
        rejects(Arrays.copyOf(g, 31), d -> { }, "fewer than a minidump header");
        rejects(g, d -> d[0] = 'X', "wrong signature");
        rejects(g, d -> putU32(d, 4, 0xA061A794L), "unknown format version 0xa794");
        rejects(g, d -> putU32(d, 8, 0xFFFFFFFFL), "stream directory of 4294967295 streams");
        rejects(g, d -> putU32(d, 8, 3_000_000), "stream directory of 3000000 streams");
        rejects(g, d -> putU32(d, 12, d.length - 4), "stream directory");
        rejects(g, d -> putU32(d, 12, 0xFFFFFFF0L), "lies outside the file");
    }

    @Test
    void streamLocationsOutsideTheFile() {
        byte[] g = good();
        int handleEntry = directoryIndex(g, StreamEntry.HANDLE_DATA);
        rejects(g, d -> putU32(d, handleEntry + 8, d.length + 100), "HandleData stream");
        rejects(g, d -> putU32(d, handleEntry + 4, 0xFFFFFFFFL), "HandleData stream");
        rejects(g, d -> putU32(d, handleEntry + 4, 8), "fewer than its 16-byte header");
        int sys = directoryIndex(g, StreamEntry.SYSTEM_INFO);
        rejects(g, d -> putU32(d, sys + 4, 20), "SystemInfo stream has 20 bytes");
        int misc = directoryIndex(g, StreamEntry.MISC_INFO);
        rejects(g, d -> putU32(d, misc + 8, 0xFFFFFFFFL), "MiscInfo stream");
    }

    @Test
    void handleDataProblems() {
        byte[] g = good();
        long rva = stream(g, StreamEntry.HANDLE_DATA).rva();
        rejects(g, d -> putU32(d, rva + 8, 0xFFFFFFFFL), "claims 4294967295 descriptors");
        rejects(g, d -> putU32(d, rva + 8, 7), "claims 7 descriptors");
        rejects(g, d -> putU32(d, rva + 4, 36), "SizeOfDescriptor 36");
        rejects(g, d -> putU32(d, rva + 4, 0), "SizeOfDescriptor 0");
        rejects(g, d -> putU32(d, rva + 4, 0xFFFFFFFFL), "SizeOfDescriptor 4294967295");
        rejects(g, d -> putU32(d, rva, 0xFFFFFFFFL), "SizeOfHeader 4294967295");
        rejects(g, d -> putU32(d, rva, 4), "SizeOfHeader 4");
        long first = rva + 16;
        rejects(g, d -> putU32(d, first + 8, d.length - 2), "type name of handle descriptor 0");
        rejects(g, d -> putU32(d, first + 8, 0xFFFFFFFFL), "type name of handle descriptor 0");
        long typeRva = getU32(g, first + 8);
        rejects(g, d -> putU32(d, typeRva, 0xFFFFFFF0L), "names are at most 65534");
        rejects(g, d -> putU32(d, typeRva, 0xFFFE), "lies outside the file");
    }

    @Test
    void objectInfoChainProblems() {
        byte[] g = good();
        long rva = stream(g, StreamEntry.HANDLE_DATA).rva();
        long mutant = rva + 16 + 5 * 40; // the sixth descriptor
        assertEquals(0x48, getU32(g, mutant));
        long head = getU32(g, mutant + 32);
        long second = getU32(g, head);
        assertTrue(second != 0);
        rejects(g, d -> putU32(d, head, head), "loops back to 0x" + Long.toHexString(head));
        rejects(g, d -> putU32(d, second, head), "loops back to 0x" + Long.toHexString(head));
        rejects(g, d -> putU32(d, head + 8, 0xFFFFFFF0L), "ObjectInfo data");
        rejects(g, d -> putU32(d, head + 8, d.length), "ObjectInfo data");
        rejects(g, d -> putU32(d, second, d.length - 6), "ObjectInfo record");
        rejects(g, d -> putU32(d, mutant + 32, 0xFFFFFFFFL), "ObjectInfo record");

        ObjectInfo[] many = new ObjectInfo[MinidumpReader.MAX_OBJECT_INFO_CHAIN + 1];
        Arrays.fill(many, new ObjectInfo(6, new byte[8]));
        byte[] tooLong = new TestDumpWriter().handle(0x4, "Event", null, 0x1f0003, many).build();
        rejects(tooLong, d -> { }, "longer than 64 records");
        ObjectInfo[] enough = Arrays.copyOf(many, MinidumpReader.MAX_OBJECT_INFO_CHAIN);
        byte[] longest = new TestDumpWriter().handle(0x4, "Event", null, 0x1f0003, enough).build();
        assertEquals(64, Minidump.parse(longest, "ok").handles().get(0).objectInfo().size());
    }

    @Test
    void operationListProblems() {
        byte[] g = good();
        long rva = stream(g, StreamEntry.HANDLE_OPERATION_LIST).rva();
        rejects(g, d -> putU32(d, rva + 8, 0xFFFFFFFFL), "claims 4294967295 entries");
        rejects(g, d -> putU32(d, rva + 8, 12), "claims 12 entries");
        rejects(g, d -> putU32(d, rva + 4, 100), "SizeOfEntry 100");
        rejects(g, d -> putU32(d, rva + 4, 0x7FFFFFFF), "SizeOfEntry 2147483647");
        rejects(g, d -> putU32(d, rva, 0x10000), "SizeOfHeader 65536");
        rejects(g, d -> putU32(d, rva + 16 + 288 + 16, 7), "handle operation 1 has OperationType 7");
        rejects(g, d -> putU32(d, rva + 16 + 16, 0), "OperationType 0");
        rejects(g, d -> putU32(d, rva + 16 + 24, 33), "33-frame stack");
    }

    @Test
    void moduleListProblems() {
        byte[] g = good();
        long rva = stream(g, StreamEntry.MODULE_LIST).rva();
        rejects(g, d -> putU32(d, rva, 0xFFFFFFFFL), "claims 4294967295 modules");
        rejects(g, d -> putU32(d, rva, 4), "claims 4 modules");
        rejects(g, d -> putU32(d, rva + 4 + 20, d.length + 8), "name of module 0");
    }

    /**
     * Many descriptors whose names start at different places inside one long string, each reading as a
     * 65520-byte name: without the budget that decodes hundreds of megabytes from a file of a few hundred
     * kilobytes. It must stop with an error, having allocated little.
     */
    @Test
    void overlappingStringsCannotMultiplyMemory() {
        StringBuilder bait = new StringBuilder();
        for (int i = 0; i < 32_000; i++) bait.append(i % 2 == 0 ? '\uFFF0' : '\u0000');
        TestDumpWriter w = new TestDumpWriter().descriptorSize(32);
        int descriptors = 3000;
        w.handle(0x4, "File", bait.toString(), 0x1);
        for (int i = 1; i < descriptors; i++) w.handle(4L * (i + 1), "File", null, 0x1);
        byte[] dump = w.build();
        long nameRva = w.stringRva(bait.toString());
        long rva = stream(dump, StreamEntry.HANDLE_DATA).rva();
        for (int i = 0; i < descriptors; i++) putU32(dump, rva + 16 + 32L * i + 12, nameRva + 4 + 4L * i);

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        rejects(dump, d -> { }, "more than the file holds");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 16L * dump.length + (8 << 20), "allocated " + allocated + " bytes for a " + dump.length + "-byte file");
    }

    /** Every prefix of a small dump, and many of a real one, is either usable or a clear error. */
    @Test
    void truncatedFiles() {
        byte[] g = good();
        int ok = 0;
        for (int n = 0; n < g.length; n++) {
            if (parsesOrRejectsCleanly(Arrays.copyOf(g, n))) ok++;
        }
        assertEquals(0, ok, "every byte of this dump belongs to a decoded structure, so every prefix is rejected");

        byte[] real = Fixtures.bytes(Fixtures.BREAKPAD);
        long handleEnd = stream(real, StreamEntry.HANDLE_DATA).rva() + stream(real, StreamEntry.HANDLE_DATA).dataSize();
        for (int n = 0; n < real.length; n += 61) {
            boolean parsed = parsesOrRejectsCleanly(Arrays.copyOf(real, n));
            if (n < handleEnd) assertFalse(parsed, "a prefix of " + n + " bytes cuts the handle stream");
        }
    }

    private static boolean parsesOrRejectsCleanly(byte[] dump) {
        try {
            Minidump.parse(dump, "cut.dmp");
            return true;
        } catch (JhtraceException e) {
            assertEquals(Failure.BAD_INPUT, e.failure());
            assertFalse(e.getMessage().contains("\n"));
            return false;
        }
    }

    @Test
    void filesThatCannotBeOpened(@TempDir Path dir) throws Exception {
        MinidumpEngine engine = new MinidumpEngine();
        JhtraceException missing = assertThrows(JhtraceException.class, () -> engine.open(dir.resolve("nope.dmp")));
        assertEquals(Failure.TARGET_NOT_FOUND, missing.failure());
        assertEquals(Failure.BAD_INPUT, assertThrows(JhtraceException.class, () -> engine.open(dir)).failure());
        Path text = dir.resolve("notes.dmp");
        Files.writeString(text, "this is not a dump, it is a text file of some length");
        JhtraceException notDump = assertThrows(JhtraceException.class, () -> engine.open(text));
        assertEquals(Failure.BAD_INPUT, notDump.failure());
        assertEquals("notes.dmp: not a usable minidump: wrong signature 0x73696874 (a minidump starts with MDMP)", notDump.getMessage());
    }

    /** Reading from a file and from memory are the same decoder: same results, same errors. */
    @Test
    void fileAndMemoryReadsAgree(@TempDir Path dir) throws Exception {
        for (String name : List.of(Fixtures.WER, Fixtures.CHROME)) {
            byte[] bytes = Fixtures.bytes(name);
            assertEquals(Minidump.parse(bytes, name), Minidump.read(Fixtures.dump(name)));
            Path cut = dir.resolve(name);
            long handleRva = stream(bytes, StreamEntry.HANDLE_DATA).rva();
            Files.write(cut, Arrays.copyOf(bytes, (int) handleRva + 100));
            JhtraceException fromFile = assertThrows(JhtraceException.class, () -> Minidump.read(cut));
            JhtraceException fromMemory = assertThrows(JhtraceException.class, () -> Minidump.parse(Arrays.copyOf(bytes, (int) handleRva + 100), name));
            assertEquals(Failure.BAD_INPUT, fromFile.failure());
            assertEquals(fromMemory.getMessage(), fromFile.getMessage());
            assertTrue(fromFile.getMessage().contains("HandleData stream"), fromFile.getMessage());
        }
    }

    private static int directoryIndex(byte[] dump, int type) {
        List<StreamEntry> dir = Minidump.parse(dump, "good.dmp").directory();
        for (int i = 0; i < dir.size(); i++) if (dir.get(i).streamType() == type) return Layout.HEADER_SIZE + i * Layout.DIRECTORY_SIZE;
        throw new AssertionError("no stream " + type);
    }
}
