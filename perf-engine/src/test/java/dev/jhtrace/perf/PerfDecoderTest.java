package dev.jhtrace.perf;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.TraceEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static dev.jhtrace.perf.PipeStreams.decoded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tracepoint samples laid out as this kernel's tracefs formats say (fields at their real offsets), through the pipe
 * reader, the round sorter and the decoder.
 */
class PerfDecoderTest {
    private final List<TraceEvent> events = new ArrayList<>();
    private final List<RawStack> stacks = new ArrayList<>();
    private final List<String> types = new ArrayList<>();

    private void decode(BitSet start, TraceSample... samples) {
        PerfDecoder decoder = new PerfDecoder(pid -> new ReplayedTable((BitSet) start.clone()), 0, (e, type, stack) -> {
            events.add(e);
            stacks.add(stack);
            types.add(type);
        });
        for (TraceSample s : samples) decoder.accept(s);
    }

    private static BitSet open(int... fds) {
        BitSet b = new BitSet();
        for (int fd : fds) b.set(fd);
        return b;
    }

    private static TraceSample exit(String call, long ret, long time) {
        return decoded("syscalls:sys_exit_" + call, 7, 7, time, Map.of("ret", ret));
    }

    @Test
    void anOpenAndACloseCarryTheKernelTimeAndTheDescriptor() {
        decode(open(0, 1, 2),
                decoded("syscalls:sys_exit_openat", 10773, 10774, 1478_836060407L, Map.of("ret", 5L)),
                decoded("syscalls:sys_enter_close", 10773, 10774, 1478_836060999L, Map.of("fd", 5L)));
        assertEquals(2, events.size());
        TraceEvent open = events.get(0);
        assertEquals(EventKind.OPEN, open.kind());
        assertEquals(5, open.handle());
        assertEquals(10773, open.pid());
        assertEquals(10774, open.tid());
        assertEquals(1478_836060407L, open.order());
        assertEquals(EventKind.CLOSE, events.get(1).kind());
        assertEquals(5, events.get(1).handle());
    }

    @Test
    void failedCallsAndClosesOfNothingMakeNoEvent() {
        decode(open(0, 1, 2),
                exit("openat", -2, 1),
                decoded("syscalls:sys_enter_close", 7, 7, 2, Map.of("fd", 0xffffffffL)), // close(-1)
                decoded("syscalls:sys_enter_close", 7, 7, 3, Map.of("fd", -1L)));
        assertEquals(List.of(), events);
    }

    @Test
    void pipeAndSocketpairGetTheTwoLowestFreeNumbers() {
        decode(open(0, 1, 2, 4), exit("pipe2", 0, 1), exit("socketpair", 0, 2));
        assertEquals(List.of(3L, 5L, 6L, 7L), events.stream().map(TraceEvent::handle).toList());
    }

    @Test
    void fcntlOpensOnlyAfterADupfdEntryAndCloseRangeClosesWhatIsOpen() {
        decode(open(0, 1, 2, 3, 9),
                exit("fcntl", 0x8002, 1),
                decoded("syscalls:sys_enter_fcntl", 7, 7, 2, Map.of("fd", 3L, "cmd", 0x406L, "arg", 0x64L)),
                exit("fcntl", 0x64, 3),
                decoded("syscalls:sys_enter_close_range", 7, 7, 4, Map.of("fd", 3L, "max_fd", 0xffffffffL, "flags", 0L)));
        assertEquals(List.of("OPEN 100", "CLOSE 3", "CLOSE 9", "CLOSE 100"),
                events.stream().map(e -> e.kind() + " " + e.handle()).toList());
    }

    /**
     * A failed fcntl(F_DUPFD) has no exit event (the kernel filter drops failures): the next fcntl's entry, whatever its
     * command, says the exit that follows is not a copy. dash makes exactly this pair for "exec 7<file": F_DUPFD of 7
     * (not open: EBADF), then more fcntl calls.
     */
    @Test
    void aFailedDupfdIsForgottenAtTheNextFcntl() {
        decode(open(0, 1, 2),
                decoded("syscalls:sys_enter_fcntl", 7, 7, 1, Map.of("fd", 7L, "cmd", 0L, "arg", 10L)),
                decoded("syscalls:sys_enter_fcntl", 7, 7, 2, Map.of("fd", 1L, "cmd", 3L, "arg", 0L)), // F_GETFL
                exit("fcntl", 0x8001, 3),
                decoded("syscalls:sys_enter_fcntl", 7, 7, 4, Map.of("fd", 1L, "cmd", 2L, "arg", 1L)), // F_SETFD
                exit("fcntl", 0, 5));
        assertEquals(List.of(), events);
    }

    @Test
    void closeRangeWithCloexecClosesNothing() {
        decode(open(0, 1, 2, 3), decoded("syscalls:sys_enter_close_range", 7, 7, 4, Map.of("fd", 3L, "max_fd", 10L, "flags", 4L)));
        assertEquals(List.of(), events);
    }

    /**
     * Close-on-exec set by the starting table (/proc's flags), fcntl(F_SETFD), ioctl(FIOCLEX) and close_range, cleared by
     * F_SETFD and FIONCLEX, copied to a fork's child: the exec closes those, in each process.
     */
    @Test
    void anExecClosesWhatIsCloseOnExecAndAForkedChildHasItsParentsFlags() {
        PerfDecoder decoder = new PerfDecoder(pid -> new ReplayedTable(open(0, 1, 2, 3, 4), open(3, 4)), 0, (e, type, stack) -> events.add(e));
        for (TraceSample s : List.of(
                decoded("syscalls:sys_enter_fcntl", 7, 7, 1, Map.of("fd", 4L, "cmd", 2L, "arg", 0L)), // F_SETFD 0: 4 kept
                exit("openat", 5, 2),
                decoded("syscalls:sys_enter_fcntl", 7, 7, 3, Map.of("fd", 5L, "cmd", 2L, "arg", 1L)), // F_SETFD FD_CLOEXEC
                exit("openat", 6, 4),
                decoded("syscalls:sys_enter_ioctl", 7, 7, 5, Map.of("fd", 6L, "cmd", 0x5451L, "arg", 0L)), // FIOCLEX
                exit("openat", 7, 6),
                exit("openat", 8, 7),
                decoded("syscalls:sys_enter_close_range", 7, 7, 8, Map.of("fd", 7L, "max_fd", 8L, "flags", 4L)),
                decoded("syscalls:sys_enter_ioctl", 7, 7, 9, Map.of("fd", 8L, "cmd", 0x5450L, "arg", 0L)), // FIONCLEX
                decoded("sched:sched_process_fork", 7, 7, 10, Map.of("parent_comm", "p", "parent_pid", 7, "child_comm", "p", "child_pid", 9)),
                decoded("sched:sched_process_exec", 9, 9, 11, Map.of("filename", "/bin/true", "pid", 9, "old_pid", 9)),
                decoded("sched:sched_process_exec", 7, 7, 12, Map.of("filename", "/bin/true", "pid", 7, "old_pid", 7)))) {
            decoder.accept(s);
        }
        assertEquals(List.of("OPEN 5 7", "OPEN 6 7", "OPEN 7 7", "OPEN 8 7", "CLOSE 3 9", "CLOSE 5 9", "CLOSE 6 9", "CLOSE 7 9",
                "CLOSE 3 7", "CLOSE 5 7", "CLOSE 6 7", "CLOSE 7 7"), events.stream().map(e -> e.kind() + " " + e.handle() + " " + e.pid()).toList());
    }

    @Test
    void aForkedChildStartsWithItsParentsTable() {
        decode(open(0, 1, 2),
                exit("openat", 3, 1),
                decoded("sched:sched_process_fork", 7, 7, 2, Map.of("parent_comm", "sh", "parent_pid", 7, "child_comm", "sh", "child_pid", 8)),
                decoded("syscalls:sys_exit_pipe", 8, 8, 3, Map.of("ret", 0L)));
        assertEquals(List.of(3L, 4L, 5L), events.stream().map(TraceEvent::handle).toList());
        assertEquals(8, events.get(2).pid());
    }

    @Test
    void stringFieldsAreReadWhereTheFormatPutsThem() {
        TraceSample exec = decoded("sched:sched_process_exec", 9, 9, 1, Map.of("filename", "/usr/bin/leaky", "pid", 9, "old_pid", 9));
        assertEquals("/usr/bin/leaky", exec.text("filename"));
        assertEquals(9, exec.number("pid"));
        TraceSample fork = decoded("sched:sched_process_fork", 7, 7, 2, Map.of("parent_comm", "sh", "parent_pid", 7, "child_comm", "worker", "child_pid", 8));
        assertEquals("worker", fork.text("child_comm"));
        assertEquals(8, fork.number("child_pid"));
    }

    @Test
    void aLowestFreeOpenCorrectsAReplayThatMissedDescriptors() {
        decode(open(0, 1, 2), exit("openat", 7, 1), exit("dup2", 0xc, 2), exit("pipe2", 0, 3));
        // openat got 7, so 3..6 were open; dup2's 12 says nothing about 8..11
        assertEquals(List.of(7L, 12L, 8L, 9L), events.stream().map(TraceEvent::handle).toList());
    }

    @Test
    void thePipeReaderSortsEachRoundIntoKernelOrderAndCountsLostRecords() throws Exception {
        TracepointFormat openat = PipeStreams.format("syscalls:sys_exit_openat");
        TracepointFormat close = PipeStreams.format("syscalls:sys_enter_close");
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(PipeStreams.fileHeader());
        stream.writeBytes(PipeStreams.attr(openat, 100));
        stream.writeBytes(PipeStreams.attr(close, 200));
        // one pass read CPU 1's ring (time 30) before CPU 0's (time 10, 20): the round puts them in order
        stream.writeBytes(PipeStreams.sample(200, 7, 7, 30, PipeStreams.raw(close, Map.of("fd", 3L))));
        stream.writeBytes(PipeStreams.sample(100, 7, 7, 10, PipeStreams.raw(openat, Map.of("ret", 3L))));
        stream.writeBytes(PipeStreams.lost(12));
        stream.writeBytes(PipeStreams.round());
        stream.writeBytes(PipeStreams.sample(100, 7, 7, 20, PipeStreams.raw(openat, Map.of("ret", 4L))));
        stream.writeBytes(PipeStreams.round());
        List<Long> lost = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        RoundSorter sorter = new RoundSorter(s -> seen.add(s.monoNanos() + " " + s.event()));
        boolean pipeMode = new PipeReader(new ByteArrayInputStream(stream.toByteArray()), Map.of(openat.id(), openat, close.id(), close), new PipeReader.Listener() {
            @Override
            public void sample(long sequence, TraceSample sample) {
                assertNotNull(sample.format());
                sorter.add(sample);
            }

            @Override
            public void lost(long count) {
                lost.add(count);
            }

            @Override
            public void lostSamples(long count) {
            }

            @Override
            public void round() {
                sorter.round();
            }
        }).run();
        assertTrue(pipeMode);
        // after the first round nothing is due (a later pass may hold older samples); after the second, those up to 30
        assertEquals(List.of("10 sys_exit_openat", "20 sys_exit_openat", "30 sys_enter_close"), seen);
        assertEquals(List.of(12L), lost);
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

    /**
     * addr2line -f -i's answer for a frame where functions were inlined (innermost first): each a frame of its own at the
     * same address, and the frame itself with the outermost line, as gdb shows them. A level named as the frame itself
     * (addr2line names a Go program's inlined calls after their caller) is left out, its line not taken for the frame's.
     */
    @Test
    void functionsInlinedAtAFrameAreFramesOfTheirOwn() {
        var frame = new dev.jhtrace.model.StackFrame(0x2c34f1, "libpython3.11.so.1.0", "os_pipe", 0x21L, null, null);
        var frames = SourceLines.frames(frame, List.of(new String[] {"os_pipe_impl", "/py/Modules/posixmodule.c:10311"},
                new String[] {"os_pipe", "/py/Modules/clinic/posixmodule.c.h:5496"}));
        assertEquals(List.of("os_pipe_impl", "os_pipe"), frames.stream().map(dev.jhtrace.model.StackFrame::function).toList());
        assertEquals(List.of(10311, 5496), frames.stream().map(dev.jhtrace.model.StackFrame::line).toList());
        assertEquals(List.of(0x2c34f1L, 0x2c34f1L), frames.stream().map(dev.jhtrace.model.StackFrame::address).toList());
        assertEquals(0x21L, frames.get(1).offset(), "the frame keeps perf's offset");

        var go = new dev.jhtrace.model.StackFrame(0x60e4d, "leaky", "main.openCache", 0x2dL, null, null);
        var goFrames = SourceLines.frames(go, List.of(new String[] {"main.openCache", "/usr/lib/go/src/os/file.go:318"},
                new String[] {"main.openCache", "/tmp/leaky/main.go:11"}));
        assertEquals(1, goFrames.size(), goFrames.toString());
        assertEquals("/tmp/leaky/main.go", goFrames.get(0).file());
        assertEquals(11, goFrames.get(0).line());
    }

    /** A frame perf did not name (one GoFrames walked to) takes addr2line's outermost function; "??" leaves it unnamed. */
    @Test
    void aFrameWithoutAFunctionIsNamedByAddr2line() {
        var walked = new dev.jhtrace.model.StackFrame(0x9e0b2, "goleak", null, null, null, null);
        var named = SourceLines.frames(walked, List.<String[]>of(new String[] {"main.leakFile", "/src/goleak.go:18"}));
        assertEquals(List.of(new dev.jhtrace.model.StackFrame(0x9e0b2, "goleak", "main.leakFile", null, "/src/goleak.go", 18)), named);
        var unknown = SourceLines.frames(walked, List.<String[]>of(new String[] {"??", "??:0"}));
        assertEquals(List.of(walked), unknown);
    }

    @Test
    void perfScriptsFramesAreParsedForTheUnwoundStacks() {
        List<PerfRecord> records = new ArrayList<>();
        PerfScriptParser parser = new PerfScriptParser(records::add, 16, null);
        for (String l : List.of("10773/10773  1478.836060407: syscalls:sys_exit_openat: 0x5",
                "\t           f8011 __GI___libc_open+0x51 (/usr/lib/x86_64-linux-gnu/libc.so.6)",
                "\t            11a5 acquire+0x1c (/tmp/px/t)",
                "\t           27304 __libc_start_main@@GLIBC_2.34+0x84 (/usr/lib/x86_64-linux-gnu/libc.so.6)",
                "\tffffffffffffffff [unknown] ([unknown])",
                "")) parser.line(l);
        parser.finish();
        PerfRecord.Sample s = (PerfRecord.Sample) records.get(0);
        assertEquals(1478_836060407L, s.monoNanos());
        assertEquals(3, s.frames().size(), "the end-of-chain marker is dropped");
        assertEquals("acquire", s.frames().get(1).function());
        assertEquals("t", s.frames().get(1).module());
        assertEquals(0x1c, s.frames().get(1).offset());
        assertEquals("__libc_start_main", s.frames().get(2).function());
    }

    /** A copy made by dup, dup2, dup3 or fcntl(F_DUPFD) has its original's type: after the process exits, the replay is all there is. */
    @Test
    void aCopyHasTheTypeOfTheDescriptorItCopies() {
        decode(open(0, 1, 2),
                exit("socket", 3, 1),
                decoded("syscalls:sys_enter_dup", 7, 7, 2, Map.of("fildes", 3L)),
                exit("dup", 4, 3),
                exit("eventfd2", 5, 4),
                decoded("syscalls:sys_enter_dup2", 7, 7, 5, Map.of("oldfd", 5L, "newfd", 9L)),
                exit("dup2", 9, 6),
                decoded("syscalls:sys_enter_fcntl", 7, 7, 7, Map.of("fd", 4L, "cmd", 0L, "arg", 20L)),
                exit("fcntl", 20, 8),
                decoded("syscalls:sys_enter_close", 7, 7, 9, Map.of("fd", 3L)),
                // 3 is closed: a copy of it (dup of a closed descriptor fails; here the trace missed its reopening) has no type
                decoded("syscalls:sys_enter_dup", 7, 7, 10, Map.of("fildes", 3L)),
                exit("dup", 3, 11));
        assertEquals(List.of(3L, 4L, 5L, 9L, 20L, 3L, 3L), events.stream().map(TraceEvent::handle).toList());
        assertEquals(java.util.Arrays.asList("Socket", "Socket", "EventFd", "EventFd", "Socket", null, null), types);
    }
}
