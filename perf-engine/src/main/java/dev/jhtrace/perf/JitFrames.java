package dev.jhtrace.perf;

import dev.jhtrace.analysis.SystemModules;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A JVM's compiled (JIT) frames in a stack perf unwound. perf script names the first of them from the JVM's perf map,
 * as module {@code perf-PID.map}, and stops there: JIT code has no unwind information. These become module
 * {@link SystemModules#JIT_MODULE} named as the gdb engine names them, and the walk goes on through the frame-pointer
 * chain the JVM keeps with {@code -XX:+PreserveFramePointer}, read from the sample's copy of the stack.
 *
 * <p>The first JIT frame's saved frame pointer is not in the sampled registers (the C code below it, libjava's, uses
 * rbp as a general register), so it is found in the copy: above the slot holding that frame's return address, the
 * first pair (saved rbp pointing higher up the stack, return address in the map's code) starts the chain, which is
 * followed ({@link FramePointerChain}) while each saved rbp lies higher and each return address is JIT code.
 *
 * <p>Interpreted methods all run in one blob the map names {@code Interpreter}; the interpreter keeps the frame-pointer
 * chain with or without that option, and each of its frames holds the method it runs, which {@link HotSpotMethods}
 * names from the live JVM. A JVM gone by the time its stacks are unwound keeps {@code Interpreter}.
 */
final class JitFrames {
    /** The name the JVM's perf map gives the template interpreter's code, every interpreted method's frames. */
    static final String INTERPRETER = "Interpreter";
    private static final int MAX_FRAME_BYTES = 1 << 16; // a saved rbp further up than this is not the next frame's

    private JitFrames() {
    }

    /** Whether a module perf script printed is a JIT's perf map. */
    static boolean isPerfMap(String module) {
        return module != null && module.startsWith("perf-") && module.endsWith(".map");
    }

    /**
     * {@code stack} with its JIT frames named and continued.
     *
     * @param map       the process's perf map, empty when it has none (or one older than the process)
     * @param record    the sample's bytes ({@link RawStack#bytes()}), or null
     * @param stackAt   where its user stack copy's size lies, or -1
     * @param sp        the user stack pointer, where the copy begins; 0 when unknown
     * @param maxFrames frames kept
     * @param interpreted the process's interpreted methods, asked for when a frame the walk reaches is interpreted
     */
    static StackTrace complete(StackTrace stack, Optional<PerfMapFile> map, byte[] record, int stackAt, long sp, int maxFrames,
                               Supplier<Optional<HotSpotMethods>> interpreted) {
        List<StackFrame> frames = new ArrayList<>(stack.frames().size() + 8);
        boolean jit = false;
        for (StackFrame f : stack.frames()) {
            if (isPerfMap(f.module())) {
                jit = true;
                f = map.isPresent() && f.function() != null
                        ? new StackFrame(f.address(), SystemModules.JIT_MODULE, PerfMapFile.javaMethod(f.function()), f.offset(), null, null)
                        : new StackFrame(f.address(), SystemModules.JIT_WITHOUT_PERF_MAP, null, null, null, null);
            }
            frames.add(f);
        }
        if (!jit) return stack;
        StackFrame last = frames.get(frames.size() - 1);
        if (SystemModules.JIT_MODULE.equals(last.module()) && map.isPresent() && sp != 0) {
            walk(frames, last.address(), map.get(), record, stackAt, sp, maxFrames, interpreted);
        }
        return new StackTrace(frames);
    }

    /**
     * Appends the callers of the JIT frame at {@code pc}, found in the stack copy. perf gives a caller's frame at its
     * return address less one (the call instruction's last byte), as this does for the frames it appends.
     */
    private static void walk(List<StackFrame> frames, long pc, PerfMapFile map, byte[] record, int stackAt, long sp, int maxFrames,
                             Supplier<Optional<HotSpotMethods>> interpreted) {
        int[] copy = RawStack.stackCopy(record, stackAt);
        if (copy == null) return;
        int from = copy[0];
        int length = copy[1] & ~7;
        int slot = -1;
        for (int i = 0; i + 8 <= length; i += 8) {
            if (Le.u64(record, from + i) == pc + 1) {
                slot = i;
                break;
            }
        }
        if (slot < 0) return;
        // the first frame record above it: [rbp] the caller's rbp (higher up), [rbp + 8] a return address into JIT code.
        // An interpreted native method's frame has pairs that look so below its own record (the native call's handles,
        // its result handler's address): its record is the first whose method slot holds a method.
        Optional<HotSpotMethods> methods = INTERPRETER.equals(frames.get(frames.size() - 1).function()) ? interpreted.get() : Optional.empty();
        int at = firstRecord(record, from, slot, length, sp, map, methods);
        if (at < 0 && methods.isPresent()) at = firstRecord(record, from, slot, length, sp, map, Optional.empty());
        if (at < 0) return;
        // each record belongs to the frame found last (named by it when interpreted) and returns into its caller
        FramePointerChain.follow(record, copy, sp, at, (rec, ret) -> {
            nameInterpreted(frames, frames.size() - 1, record, from, rec, interpreted);
            if (frames.size() >= maxFrames) return false;
            int entry = map.find(ret - 1); // the call before the return address
            if (entry < 0) return false;
            frames.add(new StackFrame(ret - 1, SystemModules.JIT_MODULE, map.name(entry), ret - 1 - map.start(entry), null, null));
            return true;
        });
    }

    /** The first frame record above {@code slot}, whose frame runs one of {@code methods} when they are given; -1 when none. */
    private static int firstRecord(byte[] record, int from, int slot, int length, long sp, PerfMapFile map, Optional<HotSpotMethods> methods) {
        for (int i = slot + 8; i + 16 <= length && i - slot <= MAX_FRAME_BYTES; i += 8) {
            if (frameRecord(record, from, i, sp, map) && (methods.isEmpty() || method(record, from, i, methods.get()) != null)) return i;
        }
        return -1;
    }

    /** The method whose interpreted frame has its record at {@code at} in the copy, or null. */
    private static String method(byte[] record, int from, int at, HotSpotMethods methods) {
        int slot = at + methods.methodSlot();
        return slot < 0 ? null : methods.name(Le.u64(record, from + slot));
    }

    /**
     * Names frame {@code index} by the method it runs when it is the interpreter's: its frame record is at {@code at}
     * in the copy, and the frame's {@code Method*} a fixed slot below it ({@link HotSpotMethods#methodSlot}).
     */
    private static void nameInterpreted(List<StackFrame> frames, int index, byte[] record, int from, int at,
                                        Supplier<Optional<HotSpotMethods>> interpreted) {
        StackFrame f = frames.get(index);
        if (!INTERPRETER.equals(f.function())) return;
        Optional<HotSpotMethods> methods = interpreted.get();
        if (methods.isEmpty()) return;
        HotSpotMethods m = methods.get();
        int slot = at + m.methodSlot();
        if (slot < 0) return;
        long method = Le.u64(record, from + slot);
        String name = m.name(method);
        if (name == null) return;
        // its line from the byte code it is at (the call it made), when the JVM's line tables can be read
        int bcp = at + m.bytecodeSlot();
        int line = bcp >= 0 ? m.line(method, Le.u64(record, from + bcp)) : -1;
        String file = line > 0 ? m.sourceFile(method) : null;
        frames.set(index, new StackFrame(f.address(), f.module(), name, null, file, file == null ? null : line));
    }

    /** Whether the 16 bytes at {@code i} in the copy look like a frame record of JIT code. */
    private static boolean frameRecord(byte[] record, int from, int i, long sp, PerfMapFile map) {
        long saved = Le.u64(record, from + i);
        long here = sp + i;
        if (Long.compareUnsigned(saved, here) <= 0 || saved - here > MAX_FRAME_BYTES || (saved & 7) != 0) return false;
        return map.find(Le.u64(record, from + i + 8) - 1) >= 0;
    }
}
