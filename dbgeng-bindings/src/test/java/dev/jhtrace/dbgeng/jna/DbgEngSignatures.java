package dev.jhtrace.dbgeng.jna;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import com.sun.jna.Structure;
import com.sun.jna.WString;
import com.sun.jna.ptr.ByReference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameter widths of every dbgeng method, from reference/dbgeng-signatures.tsv (generated from
 * Microsoft's DbgEng.h, cross-checked with Wine and mingw-w64), and the check that a call's Java
 * arguments have exactly those widths: a ULONG/LONG/BOOL as a Java int, a ULONG64 as a long, every
 * pointer as a pointer-like object (JNA passes each as a pointer-sized slot).
 */
public final class DbgEngSignatures {
    private DbgEngSignatures() {
    }

    /**
     * One method.
     *
     * @param method  its name
     * @param kinds   each parameter's abi_kind after This: ptr, u32, i32 or u64
     * @param varargs true for the STDMETHODV methods (more arguments may follow)
     */
    public record Signature(String method, List<String> kinds, boolean varargs) {
    }

    private static Map<String, Map<Integer, Signature>> table;

    /** interface -> slot -> signature. */
    public static synchronized Map<String, Map<Integer, Signature>> all() {
        if (table != null) return table;
        Map<String, Map<Integer, List<Map<String, String>>>> rows = new HashMap<>();
        for (Map<String, String> r : ReferenceTables.rows("dbgeng-signatures.tsv")) {
            rows.computeIfAbsent(r.get("interface"), k -> new HashMap<>())
                    .computeIfAbsent(Integer.parseInt(r.get("slot")), k -> new ArrayList<>()).add(r);
        }
        Map<String, Map<Integer, Signature>> out = new HashMap<>();
        rows.forEach((iface, slots) -> slots.forEach((slot, params) -> {
            params.sort((a, b) -> Integer.compare(Integer.parseInt(a.get("param_index")), Integer.parseInt(b.get("param_index"))));
            List<String> kinds = new ArrayList<>();
            boolean varargs = false;
            for (Map<String, String> p : params) {
                if (p.get("param_index").equals("0")) continue; // a method without parameters
                if (p.get("abi_kind").equals("varargs")) varargs = true; else kinds.add(p.get("abi_kind"));
            }
            out.computeIfAbsent(iface, k -> new HashMap<>()).put(slot, new Signature(params.get(0).get("method"), List.copyOf(kinds), varargs));
        }));
        table = out;
        return table;
    }

    /** The signature at {@code slot} of {@code iface}; fails when the table has none. */
    public static Signature of(String iface, int slot) {
        Map<Integer, Signature> slots = all().get(iface);
        if (slots == null || !slots.containsKey(slot)) throw new AssertionError(iface + " has no slot " + slot + " in dbgeng-signatures.tsv");
        return slots.get(slot);
    }

    /** The width class a Java argument is passed as: "32", "u64" or "ptr". */
    static String widthOf(Object arg) {
        if (arg == null || arg instanceof Pointer || arg instanceof PointerType || arg instanceof Structure || arg instanceof ByReference
                || arg instanceof String || arg instanceof WString || arg instanceof Callback || arg.getClass().isArray()) return "ptr";
        if (arg instanceof Integer || arg instanceof Boolean) return "32";
        if (arg instanceof Long) return "u64";
        throw new AssertionError("argument of unexpected type " + arg.getClass().getName());
    }

    /** Throws an AssertionError naming the method and parameter when {@code args} do not fit the signature. */
    public static void check(DbgEngInterface iface, VTableSlot method, Object[] args) {
        Signature sig = of(iface.name(), method.slot());
        String where = iface.name() + "::" + sig.method() + " (slot " + method.slot() + ")";
        if (!sig.method().equals(method.name())) throw new AssertionError(where + " called as " + method.name());
        if (sig.varargs() ? args.length < sig.kinds().size() : args.length != sig.kinds().size()) {
            throw new AssertionError(where + " takes " + sig.kinds().size() + (sig.varargs() ? " or more" : "") + " arguments after This, was given " + args.length);
        }
        for (int i = 0; i < sig.kinds().size(); i++) {
            String expected = sig.kinds().get(i).equals("ptr") ? "ptr" : sig.kinds().get(i).equals("u64") ? "u64" : "32";
            String actual = widthOf(args[i]);
            if (!expected.equals(actual)) {
                throw new AssertionError(where + " parameter " + (i + 1) + " is " + sig.kinds().get(i) + ", was passed as "
                        + (args[i] == null ? "null" : args[i].getClass().getSimpleName()) + " (" + actual + ")");
            }
        }
    }
}
