package dev.jhtrace.dbgeng.jna;

import com.sun.jna.Callback;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A COM object in native memory whose every vtable slot is a JNA callback recording (slot, arguments).
 * Lets the wrappers make real native calls through the vtable on Linux x86-64: integer and pointer
 * arguments arrive in the same order as on Win64, so the test sees which slot was called with what.
 * Each slot reads ten integer-class arguments after This; unused ones are garbage and ignored.
 * <p>
 * Built for an interface ({@link #of}), it holds DbgEng.h's signatures (dbgeng-signatures.tsv): objects
 * from {@link #adopt} have every call's argument count and widths checked before it is made, and
 * {@link Call#arg} reads a 32-bit argument from its low half only, as a Win64 callee must (the upper half
 * of a ULONG's register is undefined there).
 */
public final class FakeComObject {
    /**
     * One recorded call: the slot, the raw argument words (args[0] is This) and the arguments registered with
     * {@link #decodeWide} read as UTF-16 strings during the call (the caller frees them afterwards).
     */
    public record Call(int slot, long[] args, Map<Integer, String> wide, List<String> kinds) {
        /** Argument {@code i} (1-based, after This) at its declared width: a ULONG or LONG from the low 32 bits only. */
        public long arg(int i) {
            if (kinds == null) throw new AssertionError("slot " + slot + " has no signature: build the fake with FakeComObject.of");
            return switch (kinds.get(i - 1)) {
                case "u32" -> args[i] & 0xFFFF_FFFFL;
                case "i32" -> (int) args[i];
                default -> args[i];
            };
        }

        public String wideArg(int i) {
            if (!wide.containsKey(i)) throw new AssertionError("argument " + i + " of slot " + slot + " was not decoded");
            return wide.get(i);
        }

        public int intArg(int i) {
            return (int) args[i];
        }

        public Pointer pointerArg(int i) {
            return args[i] == 0 ? null : new Pointer(args[i]);
        }
    }

    /** Generic slot: This plus ten integer-class arguments. */
    public interface AnySlot extends Callback {
        int invoke(long self, long a1, long a2, long a3, long a4, long a5, long a6, long a7, long a8, long a9, long a10);
    }

    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, ToIntFunction<Call>> handlers = Collections.synchronizedMap(new HashMap<>());
    private final Map<Integer, int[]> wideArgs = Collections.synchronizedMap(new HashMap<>());
    private final List<AnySlot> keep = new ArrayList<>();
    private final Memory vtable;
    private final Memory object;
    private final String iface;

    public FakeComObject(int slots) {
        this(slots, null);
    }

    private FakeComObject(int slots, String iface) {
        this.iface = iface;
        vtable = new Memory((long) slots * Native.POINTER_SIZE);
        for (int i = 0; i < slots; i++) {
            final int slot = i;
            AnySlot cb = (self, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10) -> {
                long[] args = {self, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10};
                Map<Integer, String> wide = new HashMap<>();
                for (int arg : wideArgs.getOrDefault(slot, new int[0])) {
                    wide.put(arg, args[arg] == 0 ? null : WideStrings.read(new Pointer(args[arg])));
                }
                Call call = new Call(slot, args, wide, iface == null ? null : DbgEngSignatures.of(iface, slot).kinds());
                calls.add(call);
                ToIntFunction<Call> h = handlers.get(slot);
                return h == null ? HResult.S_OK : h.applyAsInt(call);
            };
            keep.add(cb);
            vtable.setPointer((long) i * Native.POINTER_SIZE, com.sun.jna.CallbackReference.getFunctionPointer(cb));
        }
        object = new Memory(Native.POINTER_SIZE);
        object.setPointer(0, vtable);
    }

    /** Sized for an interface's full vtable from the reference table. */
    public static FakeComObject of(String iface) {
        return new FakeComObject(ReferenceTables.vtables().get(iface).size(), iface);
    }

    /** This object as {@code as}, every call checked against DbgEng.h's signature before it is made. */
    public ComObject adopt(DbgEngInterface as) {
        return ComObject.adopt(object, as, DbgEngSignatures::check);
    }

    public Pointer pointer() {
        return object;
    }

    /** What slot {@code slot} does when called: return an HRESULT, maybe write out-parameters. */
    public FakeComObject on(int slot, ToIntFunction<Call> handler) {
        handlers.put(slot, handler);
        return this;
    }

    /** Reads these arguments of {@code slot} as NUL-terminated UTF-16LE strings while the call is running. */
    public FakeComObject decodeWide(int slot, int... args) {
        wideArgs.put(slot, args);
        return this;
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The only call recorded; fails when there were others. */
    public Call single() {
        List<Call> c = calls();
        if (c.size() != 1) throw new AssertionError("expected one call, got " + c.size() + ": " + c.stream().map(Call::slot).toList());
        return c.get(0);
    }

    public void clear() {
        calls.clear();
    }
}
