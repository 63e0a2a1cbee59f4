package dev.jhtrace.dump;

import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.report.HandleListing;
import dev.jhtrace.report.LeakReportText;
import dev.jhtrace.report.ReportJson;
import dev.jhtrace.spi.Engines;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.JhtraceException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three real dumps, with counts worked out once from the bytes by hand (an independent Python
 * walk of the same layouts) and cross-checked with the totals in SOURCES.md.
 */
class RealDumpsTest {

    private static HandleSource open(String name) {
        return Engines.named("minidump").open(Fixtures.dump(name));
    }

    private static Map<String, Integer> counts(Object... typeAndCount) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < typeAndCount.length; i += 2) m.put((String) typeAndCount[i], (Integer) typeAndCount[i + 1]);
        return m;
    }

    private static HandleEntry entry(HandleTable t, long handle) {
        return t.entries().stream().filter(e -> e.handle() == handle).findFirst().orElseThrow();
    }

    @Test
    void breakpadCrashpadDump() {
        try (HandleSource source = open(Fixtures.BREAKPAD)) {
            HandleTable t = source.handles();
            assertEquals(147, t.size());
            // insertion order of counts() is heaviest first, then by name: the order HandleTable promises
            assertEquals(List.copyOf(counts("(no type)", 46, "Section", 31, "Event", 18, "Semaphore", 12, "File", 11, "Key", 8,
                    "WaitCompletionPacket", 6, "IRTimer", 4, "IoCompletion", 3, "Directory", 2, "TpWorkerFactory", 2,
                    "WindowStation", 2, "ALPC Port", 1, "Desktop", 1).entrySet()), List.copyOf(t.countsByType().entrySet()));
            assertEquals(new HandleEntry(0x4, "File", null, 0x12019fL, 0L, 2L, 98303L, Map.of()), entry(t, 0x4));
            assertEquals(new HandleEntry(0x40, "Directory", null, 0x3L, 0L, 232L, 7619521L, Map.of()), entry(t, 0x40));
            assertEquals(new HandleEntry(0x30, "(no type)", null, 0x804L, 0L, 0L, 0L, Map.of()), entry(t, 0x30));
            assertTrue(t.entries().stream().allMatch(e -> e.name() == null), "Crashpad writes no object names");
            assertEquals(Instant.ofEpochSecond(1635803743L), t.time());
            assertEquals(15444, t.pid());

            assertEquals(15444, source.target().pid());
            assertEquals("tiny.exe", source.target().name());
            assertTrue(source.tracing().isEmpty(), "no HandleOperationList stream");
            assertTrue(source.isAlive());

            Minidump d = ((MinidumpHandleSource) source).dump();
            assertEquals(0xA793, d.header().version());
            assertEquals(0, d.header().implementationVersion());
            assertEquals(0x200000L, d.header().flags());
            assertEquals(8, d.directory().size());
            assertEquals(List.of(7L, 15L, 3L, 4L, 14L, 16L, 12L, 5L), d.directory().stream().map(StreamEntry::streamType).toList());
            assertEquals(new SystemInfo(9, 8, 1, 10, 0, 22000, 2, "282"), d.systemInfo());
            assertEquals("x64", d.systemInfo().architecture());
            assertEquals("10.0.22000", d.systemInfo().osVersion());
            assertEquals(new MiscInfo(0x147, 15444, Instant.ofEpochSecond(1635803738L), Duration.ZERO, Duration.ZERO), d.miscInfo());

            assertEquals(25, d.modules().size());
            assertEquals(new ModuleInfo(0x7ff778bd0000L, 0xf0000, "C:\\src\\crashpad\\tiny.exe", d.modules().get(0).timeDateStamp(),
                    d.modules().get(0).checksum()), d.modules().get(0));
            assertEquals("C:\\Program Files (x86)\\Citrix\\ICA Client\\epclient64.dll", d.modules().get(20).path());
            assertEquals("bcryptPrimitives", d.modules().get(24).name());
        }
    }

    @Test
    void breakpadModulesResolveAddresses() {
        try (HandleSource source = open(Fixtures.BREAKPAD)) {
            assertEquals("ntdll+0x9d1e4", source.symbols().resolve(StackFrame.unresolved(0x7ff911140000L + 0x9d1e4)).symbol());
            assertEquals("KERNEL32", source.symbols().resolve(StackFrame.unresolved(0x7ff90f000000L)).module());
            assertEquals("tiny+0xeffff", source.symbols().resolve(StackFrame.unresolved(0x7ff778bd0000L + 0xeffff)).symbol());
            StackFrame outside = StackFrame.unresolved(0x7ff778bd0000L + 0xf0000); // one past tiny.exe's end
            assertSame(outside, source.symbols().resolve(outside));
            assertSame(outside, source.symbols().resolve(outside));
            StackFrame low = StackFrame.unresolved(0x1000);
            assertSame(low, source.symbols().resolve(low));
        }
    }

    @Test
    void werTriageDumpWithObjectInfoChains() {
        try (HandleSource source = open(Fixtures.WER)) {
            HandleTable t = source.handles();
            assertEquals(441, t.size());
            assertEquals(List.copyOf(counts("(no type)", 201, "Event", 65, "WaitCompletionPacket", 32, "Key", 24, "ALPC Port", 20,
                    "Semaphore", 16, "Thread", 14, "Section", 11, "IRTimer", 10, "IoCompletion", 9, "Mutant", 8, "File", 7,
                    "Timer", 7, "TpWorkerFactory", 5, "Directory", 2, "DxgkSharedResource", 2, "IoCompletionReserve", 2,
                    "WindowStation", 2, "Desktop", 1, "DxgkCompositionObject", 1, "DxgkSharedSyncObject", 1, "Process", 1).entrySet()),
                    List.copyOf(t.countsByType().entrySet()));
            // each Mutant has a two-record chain: MiniMutantInformation2 then MiniMutantInformation1
            Map<String, String> mutant = new LinkedHashMap<>();
            mutant.put("MiniMutantInformation2", "00000000000000000000000000000000");
            mutant.put("MiniMutantInformation1", "0100000000000000");
            assertEquals(new HandleEntry(0x48, "Mutant", null, 0x1f0001L, 0L, 2L, 65537L, mutant), entry(t, 0x48));
            assertEquals(List.copyOf(mutant.keySet()), List.copyOf(entry(t, 0x48).details().keySet()));
            assertEquals(Map.of("MiniEventInformation1", "0000000001000000"), entry(t, 0x4).details());
            assertEquals(Map.of("MiniSemaphoreInformation1", "cc176802cc176802"), entry(t, 0x50).details());
            assertEquals(Map.of("MiniProcessInformation2", "400000000000000003010000000000000040ed6e760000000f00000000000000"
                    + "080000000000000014210000000000005c030000000000005800000000000000"), entry(t, 0x674).details());
            assertEquals(22L, entry(t, 0x674).handleCount());
            assertEquals(Map.of(), entry(t, 0xc).details());
            long withInfo = t.entries().stream().filter(e -> !e.details().isEmpty()).count();
            assertEquals(63 + 15 + 13 + 8 + 5 + 1, withInfo);
            assertEquals(8, t.entries().stream().filter(e -> e.details().size() == 2).count(), "only the Mutants have two records");
            assertEquals(8, t.ofType("mutant").size());

            Minidump d = ((MinidumpHandleSource) source).dump();
            assertEquals(0xA061, d.header().implementationVersion());
            assertEquals(0x1205A4L, d.header().flags());
            assertTrue((d.header().flags() & MinidumpHeader.WITH_HANDLE_DATA) != 0);
            assertEquals(15, d.directory().size(), "five unused (type 0) entries are kept in the directory");
            assertEquals(new SystemInfo(9, 4, 1, 10, 0, 19045, 2, ""), d.systemInfo());
            assertNull(d.miscInfo().processId(), "the scrubbed MiscInfo says nothing is valid");
            assertNull(d.miscInfo().processCreateTime());
            assertEquals(List.of(), d.modules(), "the scrubbed module list has no entries");
            assertEquals(0, source.target().pid());
            assertNull(source.target().name());
            HandleDescriptor mutantRaw = d.handles().stream().filter(h -> h.handle() == 0x48).findFirst().orElseThrow();
            assertEquals(List.of(3, 2), mutantRaw.objectInfo().stream().map(ObjectInfo::infoType).toList());
            assertEquals(16, mutantRaw.objectInfo().get(0).data().length);
        }
    }

    @Test
    void chromeDumpWithManyHandles() {
        try (HandleSource source = open(Fixtures.CHROME)) {
            HandleTable t = source.handles();
            assertEquals(1749, t.size());
            assertEquals(List.copyOf(counts("Event", 443, "(no type)", 257, "File", 226, "Section", 185, "WaitCompletionPacket", 139,
                    "Key", 133, "Thread", 93, "Process", 92, "Mutant", 48, "IoCompletion", 30, "ALPC Port", 27, "Token", 22,
                    "Semaphore", 21, "Job", 12, "IRTimer", 8, "TpWorkerFactory", 4, "WindowStation", 3, "Desktop", 2,
                    "Directory", 2, "IoCompletionReserve", 1, "Timer", 1).entrySet()), List.copyOf(t.countsByType().entrySet()));
            assertEquals(new HandleEntry(0x5cc, "Process", null, 0x1000L, 0L, 15L, 446156L, Map.of()), entry(t, 0x5cc));
            assertEquals(new HandleEntry(0x7d0, "Job", null, 0x1f003fL, 0L, 1L, 65531L, Map.of()), entry(t, 0x7d0));
            assertEquals(new HandleEntry(0x2c, "(no type)", null, 0x804L, 0L, 0L, 0L, Map.of()), entry(t, 0x2c));
            assertEquals(0x1be4, t.entries().get(t.size() - 1).handle());
            Minidump d = ((MinidumpHandleSource) source).dump();
            assertEquals(new SystemInfo(9, 12, 1, 10, 0, 22631, 2, "4317"), d.systemInfo());
            assertEquals(13, d.directory().size());
            assertTrue(d.directory().stream().anyMatch(e -> e.streamType() == 0x43500001L), "Crashpad's own streams are listed, not decoded");
        }
    }

    @Test
    void summariesAndListingsForTheCli() {
        Minidump breakpad = Minidump.read(Fixtures.dump(Fixtures.BREAKPAD));
        assertEquals("tiny.exe pid 15444, x64 Windows 10.0.22000 (282), written 2021-11-01T21:55:43Z, 147 handles, no handle trace",
                breakpad.summary());
        Minidump wer = Minidump.read(Fixtures.dump(Fixtures.WER));
        assertEquals(Fixtures.WER + ", x64 Windows 10.0.19045, written 2024-01-26T23:13:09Z, 441 handles, no handle trace", wer.summary());

        HandleListing listing = HandleListing.of(new MinidumpHandleSource(breakpad, OperationOrder.NEWEST_FIRST).handles());
        JsonNode json = ReportJson.tree(listing);
        assertEquals(15444, json.get("pid").asInt());
        assertEquals(147, json.get("total").asInt());
        assertEquals(46, json.get("types").get("(no type)").asInt());
        assertEquals("0x4", json.get("handles").get(0).get("handle").asText());
        assertEquals("0x12019f", json.get("handles").get(0).get("grantedAccess").asText());
        assertEquals(18, listing.ofType("event").total());
        assertEquals(46, listing.ofType("(no type)").total());
        assertTrue(LeakReportText.render(listing).contains("(no type)                46"));
    }

    @Test
    void realDumpsHaveNoHandleTraceSoNoLeakDiff() {
        MinidumpHandleSource source = MinidumpHandleSource.open(Fixtures.dump(Fixtures.WER));
        assertFalse(source.dump().hasHandleOperations());
        JhtraceException e = assertThrows(JhtraceException.class, source::leakDiff);
        assertEquals(Failure.BAD_INPUT, e.failure());
        assertTrue(e.getMessage().contains("no handle trace (stream 18)"), e.getMessage());
    }

    @Test
    void engineIsRegisteredAndAlwaysAvailable() {
        assertTrue(Engines.all().stream().anyMatch(e -> e instanceof MinidumpEngine));
        assertTrue(Engines.named("minidump").availability().available());
        JhtraceException attach = assertThrows(JhtraceException.class, () -> Engines.named("minidump").attach(1, null));
        assertEquals(Failure.ENGINE_UNAVAILABLE, attach.failure());
    }
}
