package dev.jhtrace.dbgeng.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every declared vtable slot against dbgeng-vtables.tsv (Microsoft DbgEng.h, cross-checked with Wine and mingw). */
class VTableSlotsTest {
    private final Map<String, Map<Integer, String>> reference = ReferenceTables.vtables();

    private static final List<List<DbgEngInterface>> FAMILIES = List.of(
            DbgEngInterface.CLIENT_NEWEST_FIRST, DbgEngInterface.CONTROL_NEWEST_FIRST,
            DbgEngInterface.SYMBOLS_NEWEST_FIRST, DbgEngInterface.SYSTEM_OBJECTS_NEWEST_FIRST,
            DbgEngInterface.DATA_SPACES_NEWEST_FIRST, List.of(DbgEngInterface.IDebugOutputCallbacksWide),
            List.of(DbgEngInterface.IDebugEventCallbacksWide));

    @Test
    void everyDeclaredSlotHasTheReferenceMethodName() {
        int checked = 0;
        for (DbgEngInterface iface : DbgEngInterface.values()) {
            Map<Integer, String> table = reference.get(iface.name());
            assertNotNull(table, iface + " missing from the reference table");
            assertEquals(iface.name(), VTableSlot.interfaceName(iface.ownSlots()));
            for (VTableSlot s : iface.ownSlots().getEnumConstants()) {
                assertEquals(table.get(s.slot()), s.name(), iface + " slot " + s.slot());
                checked++;
            }
        }
        assertTrue(checked > 300, "checked " + checked);
    }

    @Test
    void eachVersionContinuesExactlyWhereThePreviousEnded() {
        for (List<DbgEngInterface> newestFirst : FAMILIES) {
            List<DbgEngInterface> oldestFirst = new ArrayList<>(newestFirst);
            java.util.Collections.reverse(oldestFirst);
            Map<Integer, String> declared = new TreeMap<>();
            for (DbgEngInterface iface : oldestFirst) {
                for (VTableSlot s : iface.ownSlots().getEnumConstants()) {
                    String before = declared.put(s.slot(), s.name());
                    assertEquals(null, before, iface + " redeclares slot " + s.slot());
                }
                // The chain so far must be exactly this version's full vtable (minus IUnknown): no gap, no extra.
                Map<Integer, String> expected = new TreeMap<>(reference.get(iface.name()));
                expected.keySet().removeIf(slot -> slot < VTableSlot.IUNKNOWN_SLOTS);
                assertEquals(expected, declared, iface + " full vtable");
            }
        }
    }

    @Test
    void iunknownSlotsHeadEveryInterface() {
        for (DbgEngInterface iface : DbgEngInterface.values()) {
            for (IUnknownSlots s : IUnknownSlots.values()) {
                assertEquals(reference.get(iface.name()).get(s.slot()), s.name(), iface + " slot " + s.slot());
            }
        }
    }

    @Test
    void versionNumbersDescendInTheFallbackLists() {
        for (List<DbgEngInterface> family : FAMILIES) {
            for (int i = 0; i < family.size(); i++) {
                assertEquals(family.size() - i, family.get(i).version(), family.toString());
            }
        }
    }
}
