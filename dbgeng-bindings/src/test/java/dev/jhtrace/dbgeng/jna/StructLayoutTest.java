package dev.jhtrace.dbgeng.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.Structure;
import dev.jhtrace.dbgeng.jna.callbacks.EventCallbacksWide;
import dev.jhtrace.dbgeng.jna.callbacks.OutputCallbacksWide;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * JNA structure layouts against struct-layouts.tsv (x64 rows, mingw-w64 compiled under the MS ABI). JNA on
 * Linux x86-64 aligns these all-ULONG/ULONG64 structs the same way; ULONG is Java int (4 bytes), not
 * NativeLong, which would be 8 bytes here and 4 on Windows.
 */
class StructLayoutTest {
    private final List<Map<String, String>> layouts = ReferenceTables.rows("struct-layouts.tsv");

    @Test
    void debugHandleDataBasic() throws Exception {
        assertEquals(6, compare("DEBUG_HANDLE_DATA_BASIC", new DebugHandleDataBasic()));
    }

    @Test
    void debugStackFrame() throws Exception {
        assertEquals(9, compare("DEBUG_STACK_FRAME", new DebugStackFrame()));
    }

    @Test
    void debugCreateProcessOptionsIsFourUlongs() {
        DebugCreateProcessOptions o = new DebugCreateProcessOptions();
        assertEquals(16, o.size());
        assertEquals(12, o.offsetOf("Reserved"));
    }

    @Test
    void callbackVtablesFollowTheReferenceSlotOrder() {
        Map<String, Map<Integer, String>> vt = ReferenceTables.vtables();
        checkVtable(vt.get("IDebugOutputCallbacksWide"), new OutputCallbacksWide.Vtbl());
        checkVtable(vt.get("IDebugEventCallbacksWide"), new EventCallbacksWide.Vtbl());
    }

    private static void checkVtable(Map<Integer, String> slots, Structure vtbl) {
        List<Field> fields = fieldsInOrder(vtbl);
        assertEquals(slots.size(), fields.size());
        assertEquals(slots.size() * Native.POINTER_SIZE, vtbl.size());
        for (int i = 0; i < fields.size(); i++) assertEquals(slots.get(i), fields.get(i).getName(), "slot " + i);
    }

    private static List<Field> fieldsInOrder(Structure s) {
        Structure.FieldOrder order = s.getClass().getAnnotation(Structure.FieldOrder.class);
        return java.util.Arrays.stream(order.value()).map(n -> {
            try {
                return s.getClass().getField(n);
            } catch (NoSuchFieldException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    /** Compares sizeof and every field's offset and size; returns the number of fields checked. */
    private int compare(String struct, DbgEngStructure s) throws Exception {
        int fields = 0;
        boolean sawSize = false;
        for (Map<String, String> r : layouts) {
            if (!r.get("struct").equals(struct) || !r.get("arch").equals("x64")) continue;
            String field = r.get("field");
            int size = Integer.parseInt(r.get("size"));
            if (field.equals("(sizeof)")) {
                assertEquals(size, s.size(), struct + " sizeof");
                sawSize = true;
            } else if (!field.startsWith("(")) {
                assertEquals(Integer.parseInt(r.get("offset")), s.offsetOf(field), struct + "." + field + " offset");
                Field f = s.getClass().getField(field);
                int javaSize = Native.getNativeSize(f.getType(), f.get(s));
                assertEquals(size, javaSize, struct + "." + field + " size");
                fields++;
            }
        }
        assertTrue(sawSize, struct + " has a sizeof row");
        return fields;
    }

    @Test
    void ulongIsNeverNativeLong() {
        // NativeLong is C long: 8 bytes on Linux x86-64 but 4 on Win64, so it must never stand for ULONG.
        assertEquals(8, com.sun.jna.NativeLong.SIZE, "this test runs where C long is 64-bit");
        for (Class<?> c : List.of(DebugHandleDataBasic.class, DebugStackFrame.class, DebugCreateProcessOptions.class)) {
            for (Field f : c.getFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) continue;
                assertTrue(f.getType() == int.class || f.getType() == long.class || f.getType() == long[].class,
                        c.getSimpleName() + "." + f.getName() + " is " + f.getType());
            }
        }
        for (Class<?> cb : List.of(OutputCallbacksWide.OutputFn.class, EventCallbacksWide.UlongFn.class,
                EventCallbacksWide.CreateProcessFn.class, EventCallbacksWide.LoadModuleFn.class, EventCallbacksWide.ChangeStateFn.class)) {
            for (Class<?> p : cb.getMethods()[0].getParameterTypes()) {
                assertTrue(p != com.sun.jna.NativeLong.class && p != com.sun.jna.platform.win32.WinDef.ULONG.class,
                        cb.getSimpleName() + " takes " + p);
            }
        }
    }
}
