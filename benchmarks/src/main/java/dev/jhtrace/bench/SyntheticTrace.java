package dev.jhtrace.bench;

import dev.jhtrace.model.EventKind;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTable;
import dev.jhtrace.model.StackTrace;
import dev.jhtrace.model.TraceEvent;
import dev.jhtrace.model.TraceLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The benchmark workload: {@code opens} OPEN events with 16-frame stacks drawn from {@code distinctStacks}
 * stacks, and a CLOSE later for every second handle, interleaved as a program would make them.
 */
public final class SyntheticTrace {
    private SyntheticTrace() {
    }

    public static TraceLog build(int opens, int distinctStacks, long seed) {
        Random random = new Random(seed);
        StackTable table = new StackTable();
        List<StackTrace> stacks = new ArrayList<>(distinctStacks);
        for (int s = 0; s < distinctStacks; s++) {
            List<StackFrame> frames = new ArrayList<>(16);
            frames.add(new StackFrame(0x7ffb_0000_1000L, "ntdll", "NtCreateFile", 0x14L, null, null));
            frames.add(new StackFrame(0x7ffb_0100_2000L, "KERNELBASE", "CreateFileW", 0x66L, null, null));
            for (int f = 2; f < 16; f++) {
                long address = 0x1_4000_0000L + s * 0x1000L + f * 0x10L;
                frames.add(new StackFrame(address, "app", "fn" + s + "_" + f, (long) f, "app.c", 100 + f));
            }
            stacks.add(table.intern(new StackTrace(frames)));
        }
        List<TraceEvent> events = new ArrayList<>(opens + opens / 2);
        long order = 0;
        List<Long> toClose = new ArrayList<>();
        for (int i = 0; i < opens; i++) {
            long handle = 4L * (i + 1);
            StackTrace stack = stacks.get(random.nextInt(distinctStacks));
            events.add(new TraceEvent(order++, EventKind.OPEN, handle, 100, 200 + (i & 7), 1_700_000_000_000_000_000L + i, stack));
            if ((i & 1) == 0) toClose.add(handle);
            // close roughly as fast as we open, a little later
            if (toClose.size() > 64) {
                long h = toClose.remove(random.nextInt(toClose.size()));
                events.add(new TraceEvent(order++, EventKind.CLOSE, h, 100, 200, 1_700_000_000_000_000_000L + i, StackTrace.EMPTY));
            }
        }
        for (long h : toClose) events.add(new TraceEvent(order++, EventKind.CLOSE, h, 100, 200, TraceEvent.NO_TIME, StackTrace.EMPTY));
        return TraceLog.of(events);
    }
}
