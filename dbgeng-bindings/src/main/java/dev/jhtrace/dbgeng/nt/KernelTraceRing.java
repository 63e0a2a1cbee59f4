package dev.jhtrace.dbgeng.nt;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One process's handle-trace ring, kept by the kernel: read with NtQueryInformationProcess
 * (ProcessHandleTracing), created and freed with NtSetInformationProcess, exactly as {@code !htrace}
 * does underneath. Holds the process handle it reads through; stateless apart from the size of the
 * last read, used as the next first guess.
 */
public final class KernelTraceRing {
    /** The smallest ring the kernel keeps (0x80 slots). */
    public static final int MIN_SLOTS = 0x80;
    /** The largest ring the kernel keeps (0x20000 slots). */
    public static final int MAX_SLOTS = 0x20000;
    /** The ring size the kernel picks for 0. */
    public static final int DEFAULT_SLOTS = 0x1000;

    /**
     * Gives one NtSetInformationProcess call a handle with PROCESS_SET_INFORMATION: the handle the
     * ring is read through holds only what reading needs, so enabling and disabling open the target for that call.
     */
    @FunctionalInterface
    public interface SetAccess {
        /** Runs {@code call} with a handle that may set process information; returns its NTSTATUS. */
        int set(java.util.function.ToIntFunction<HANDLE> call);
    }

    private final Ntdll ntdll;
    private final NtLayout layout;
    private final HANDLE process;
    private final SetAccess setAccess;
    private volatile int lastEntries = DEFAULT_SLOTS;

    /** A ring whose {@code process} handle may also set (a launched process's handle has every right). */
    public KernelTraceRing(Ntdll ntdll, NtLayout layout, HANDLE process) {
        this(ntdll, layout, process, call -> call.applyAsInt(process));
    }

    /**
     * @param process   the target, opened with PROCESS_QUERY_INFORMATION
     * @param setAccess how enable and disable get a handle with PROCESS_SET_INFORMATION
     */
    public KernelTraceRing(Ntdll ntdll, NtLayout layout, HANDLE process, SetAccess setAccess) {
        this.ntdll = ntdll;
        this.layout = layout;
        this.process = process;
        this.setAccess = setAccess;
    }

    /** Checks a ring size: 0 (the kernel's default, 4096) or a power of two from 128 to 131,072. */
    public static int checkSlots(int slots) {
        if (slots == 0) return 0;
        if (slots < MIN_SLOTS || slots > MAX_SLOTS || Integer.bitCount(slots) != 1) {
            throw new JhtraceException(Failure.BAD_INPUT, "trace slots must be a power of two from 128 to 131072 (or 0 for 4096), not " + slots);
        }
        return slots;
    }

    /** True when a trace exists; a query answering STATUS_INVALID_PARAMETER means tracing is off. */
    public boolean isEnabled() {
        int size = (int) layout.traceQuerySize(1);
        com.sun.jna.Memory probe = new com.sun.jna.Memory(size);
        probe.clear();
        int status = ntdll.NtQueryInformationProcess(process, NtConstants.PROCESS_HANDLE_TRACING, probe, size, new com.sun.jna.ptr.IntByReference());
        if (status == NtStatus.STATUS_INVALID_PARAMETER) return false;
        if (NtStatus.isSuccess(status) || GrowingQuery.isTooSmall(status)) return true;
        throw NtStatus.error("querying handle tracing", status);
    }

    /** Turns tracing on with a ring of {@code slots} (0 for the default); replaces any existing trace, so callers check first. */
    public void enable(int slots) {
        com.sun.jna.Memory enable = new com.sun.jna.Memory(layout.enableExSize());
        enable.clear();
        enable.setInt(layout.enableExTotalSlots(), checkSlots(slots)); // Flags stay 0: anything else is STATUS_INVALID_PARAMETER
        NtStatus.check("enabling handle tracing",
                setAccess.set(h -> ntdll.NtSetInformationProcess(h, NtConstants.PROCESS_HANDLE_TRACING, enable, layout.enableExSize())));
    }

    /** Turns tracing off (a zero-length set); the kernel frees the ring. */
    public void disable() {
        int status = setAccess.set(h -> ntdll.NtSetInformationProcess(h, NtConstants.PROCESS_HANDLE_TRACING, null, 0));
        if (status == NtStatus.STATUS_INVALID_PARAMETER) return; // already off
        NtStatus.check("disabling handle tracing", status);
    }

    /**
     * The whole ring, newest entry first as the kernel returns it; empty when tracing is off. A ring
     * that outgrew the last read's size is read again at once at the size its TotalTraces says.
     */
    public Optional<List<RawTraceEntry>> read() {
        GrowingQuery query = new GrowingQuery((int) layout.traceQuerySize(lastEntries + 16L),
                layout.traceQuerySize(MAX_SLOTS + 256L), 8);
        GrowingQuery.Outcome outcome = query.run("reading the handle trace", (buffer, length, returned) -> {
            int status = ntdll.NtQueryInformationProcess(process, NtConstants.PROCESS_HANDLE_TRACING, buffer, length, returned);
            if (status == NtStatus.STATUS_INFO_LENGTH_MISMATCH) returned.setValue(neededBytes(buffer, length));
            return status;
        });
        if (outcome.status() == NtStatus.STATUS_INVALID_PARAMETER) return Optional.empty();
        GrowingQuery.Result result = outcome.orThrow("reading the handle trace");
        List<RawTraceEntry> entries = decode(result.memory(), result.memory().size(), layout);
        lastEntries = Math.max(MIN_SLOTS, entries.size());
        return Optional.of(entries);
    }

    /**
     * The buffer a short trace query needs. ReturnLength is the bytes copied, not the bytes needed
     * (windows-kernel-facts.md, from the decompiled NtQueryInformationProcess), so it is ignored: the
     * header's TotalTraces counts every entry of the ring, and the ring never holds more than
     * {@link #MAX_SLOTS}. A buffer too short for the header says nothing, so ask for the header.
     */
    private int neededBytes(Pointer buffer, int length) {
        if (length < layout.traceQueryEntries()) return layout.traceQueryEntries();
        long total = buffer.getInt(layout.traceQueryTotalTraces()) & 0xFFFF_FFFFL;
        return (int) layout.traceQuerySize(Math.min(total, MAX_SLOTS));
    }

    /**
     * Decodes a PROCESS_HANDLE_TRACING_QUERY buffer: min(TotalTraces, what fits) entries, skipping
     * unused (type 0) slots. Reads the native buffer through one little-endian ByteBuffer view: a
     * full ring is 131,072 entries of 17 fields, too many for one JNA call each at every poll.
     */
    public static List<RawTraceEntry> decode(Pointer buffer, long bufferSize, NtLayout layout) {
        long total = buffer.getInt(layout.traceQueryTotalTraces()) & 0xFFFF_FFFFL;
        long fits = Math.max(0, (bufferSize - layout.traceQueryEntries()) / layout.traceEntrySize());
        int count = (int) Math.min(total, fits);
        ByteBuffer bytes = buffer.getByteBuffer(0, layout.traceQuerySize(count)).order(ByteOrder.LITTLE_ENDIAN);
        List<RawTraceEntry> entries = new ArrayList<>(count);
        long[] slots = new long[NtConstants.PROCESS_HANDLE_TRACING_MAX_STACKS];
        for (int i = 0; i < count; i++) {
            int base = layout.traceQueryEntries() + i * layout.traceEntrySize();
            int type = bytes.getInt(base + layout.traceEntryType());
            if (type == 0) continue;
            int depth = 0;
            for (int s = 0; s < slots.length; s++) {
                long address = layout.readPointer(bytes, base + layout.traceEntryStacks() + s * layout.pointerSize());
                if (address == 0) break; // the kernel fills slots from the start; the rest stay zero
                slots[depth++] = address;
            }
            entries.add(new RawTraceEntry(layout.readPointer(bytes, base + layout.traceEntryHandle()),
                    (int) layout.readPointer(bytes, base + layout.traceEntryProcessId()),
                    (int) layout.readPointer(bytes, base + layout.traceEntryThreadId()),
                    type, Arrays.copyOf(slots, depth)));
        }
        return entries;
    }
}
