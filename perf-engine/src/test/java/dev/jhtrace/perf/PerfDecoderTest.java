package dev.jhtrace.perf;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.TraceEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** perf script's text, as perf 6.1 prints it (lines taken from real runs), through the parser and the decoder. */
class PerfDecoderTest {
    private final List<TraceEvent> events = new ArrayList<>();
    private final List<Long> lost = new ArrayList<>();

    private void decode(BitSet start, String... lines) {
        PerfDecoder decoder = new PerfDecoder(pid -> (BitSet) start.clone(), 0, (e, type) -> events.add(e));
        PerfScriptParser parser = new PerfScriptParser(r -> {
            if (r instanceof PerfRecord.Sample s) decoder.accept(s);
            else if (r instanceof PerfRecord.Lost l) lost.add(l.count());
        }, 16, null);
        for (String l : lines) parser.line(l);
        parser.finish();
    }

    private static BitSet open(int... fds) {
        BitSet b = new BitSet();
        for (int fd : fds) b.set(fd);
        return b;
    }

    @Test
    void anOpenCarriesItsUserFramesAndTheKernelTime() {
        decode(open(0, 1, 2),
                "10773/10773  1478.836060407: syscalls:sys_exit_openat: 0x5",
                "\t           f8011 __GI___libc_open+0x51 (/usr/lib/x86_64-linux-gnu/libc.so.6)",
                "\t            11a5 acquire+0x1c (/tmp/px/t)",
                "\t           27304 __libc_start_main@@GLIBC_2.34+0x84 (/usr/lib/x86_64-linux-gnu/libc.so.6)",
                "\tffffffffffffffff [unknown] ([unknown])",
                "",
                "10773/10773  1478.836060999: syscalls:sys_enter_close: fd: 0x00000005     7fb70644ba07 __close+0x10 (/usr/lib/x86_64-linux-gnu/libc.so.6)");
        assertEquals(2, events.size());
        TraceEvent open = events.get(0);
        assertEquals(EventKind.OPEN, open.kind());
        assertEquals(5, open.handle());
        assertEquals(1478_836060407L, open.order());
        assertEquals(3, open.stack().depth(), "the end-of-chain marker is dropped");
        assertEquals("acquire", open.stack().frame(1).function());
        assertEquals("t", open.stack().frame(1).module());
        assertEquals(0x1c, open.stack().frame(1).offset());
        assertEquals("__libc_start_main", open.stack().frame(2).function());
        assertEquals(EventKind.CLOSE, events.get(1).kind());
        assertEquals(5, events.get(1).handle());
    }

    @Test
    void pipeAndSocketpairGetTheTwoLowestFreeNumbers() {
        decode(open(0, 1, 2, 4),
                "7/7  1.000000001: syscalls:sys_exit_pipe2: 0x0",
                "7/7  1.000000002: syscalls:sys_exit_socketpair: 0x0");
        assertEquals(List.of(3L, 5L, 6L, 7L), events.stream().map(TraceEvent::handle).toList());
    }

    @Test
    void fcntlOpensOnlyAfterADupfdEntryAndCloseRangeClosesWhatIsOpen() {
        decode(open(0, 1, 2, 3, 9),
                "7/7  1.000000001: syscalls:sys_exit_fcntl: 0x8002",
                "7/7  1.000000002: syscalls:sys_enter_fcntl: fd: 0x00000003, cmd: 0x00000406, arg: 0x00000064",
                "7/7  1.000000003: syscalls:sys_exit_fcntl: 0x64",
                "7/7  1.000000004: syscalls:sys_enter_close_range: fd: 0x00000003, max_fd: 0xffffffff, flags: 0x00000000");
        assertEquals(List.of("OPEN 100", "CLOSE 3", "CLOSE 9", "CLOSE 100"),
                events.stream().map(e -> e.kind() + " " + e.handle()).toList());
    }

    @Test
    void aForkedChildStartsWithItsParentsTable() {
        decode(open(0, 1, 2),
                "7/7  1.000000001: syscalls:sys_exit_openat: 0x3",
                "7/7  1.000000002: sched:sched_process_fork: comm=sh pid=7 child_comm=sh child_pid=8",
                "8/8  1.000000003: syscalls:sys_exit_pipe: 0x0");
        assertEquals(List.of(3L, 4L, 5L), events.stream().map(TraceEvent::handle).toList());
        assertEquals(8, events.get(2).pid());
    }

    @Test
    void lostRecordsAreCounted() {
        decode(new BitSet(), " 9951/9951   1436.330389900: PERF_RECORD_LOST lost 1", " 9951/9951   1436.330523373: PERF_RECORD_LOST lost 12");
        assertEquals(List.of(1L, 12L), lost);
        assertEquals(0, events.size());
    }

    @Test
    void addr2lineAnswersBecomeFileAndLine() {
        var frame = new dev.jhtrace.model.StackFrame(0x13c7, "leaky", "leak_config_file", 0x1cL, null, null);
        var withLine = SourceLines.parse(frame, "/src/leaky.c:55 (discriminator 3)");
        assertEquals("/src/leaky.c", withLine.file());
        assertEquals(55, withLine.line());
        assertEquals(frame, SourceLines.parse(frame, "??:0"));
        assertEquals(frame, SourceLines.parse(frame, "??:?"));
    }

    @Test
    void aLowestFreeOpenCorrectsAReplayThatMissedDescriptors() {
        decode(open(0, 1, 2),
                "7/7  1.000000001: syscalls:sys_exit_openat: 0x7",
                "7/7  1.000000002: syscalls:sys_exit_dup2: 0xc",
                "7/7  1.000000003: syscalls:sys_exit_pipe2: 0x0");
        // openat got 7, so 3..6 were open; dup2's 12 says nothing about 8..11
        assertEquals(List.of(7L, 12L, 8L, 9L), events.stream().map(TraceEvent::handle).toList());
    }
}
