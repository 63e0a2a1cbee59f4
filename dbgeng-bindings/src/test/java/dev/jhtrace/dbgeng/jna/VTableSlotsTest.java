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

    /** Each interface's own slot enum (main code keeps the arrow from the slot enums to this package only). */
    private static final Map<DbgEngInterface, Class<? extends VTableSlot>> OWN_SLOTS = Map.ofEntries(
            Map.entry(DbgEngInterface.IDebugClient, dev.jhtrace.dbgeng.jna.client.IDebugClientSlots.class),
            Map.entry(DbgEngInterface.IDebugClient2, dev.jhtrace.dbgeng.jna.client.IDebugClient2Slots.class),
            Map.entry(DbgEngInterface.IDebugClient3, dev.jhtrace.dbgeng.jna.client.IDebugClient3Slots.class),
            Map.entry(DbgEngInterface.IDebugClient4, dev.jhtrace.dbgeng.jna.client.IDebugClient4Slots.class),
            Map.entry(DbgEngInterface.IDebugClient5, dev.jhtrace.dbgeng.jna.client.IDebugClient5Slots.class),
            Map.entry(DbgEngInterface.IDebugControl, dev.jhtrace.dbgeng.jna.control.IDebugControlSlots.class),
            Map.entry(DbgEngInterface.IDebugControl2, dev.jhtrace.dbgeng.jna.control.IDebugControl2Slots.class),
            Map.entry(DbgEngInterface.IDebugControl3, dev.jhtrace.dbgeng.jna.control.IDebugControl3Slots.class),
            Map.entry(DbgEngInterface.IDebugControl4, dev.jhtrace.dbgeng.jna.control.IDebugControl4Slots.class),
            Map.entry(DbgEngInterface.IDebugSymbols, dev.jhtrace.dbgeng.jna.symbols.IDebugSymbolsSlots.class),
            Map.entry(DbgEngInterface.IDebugSymbols2, dev.jhtrace.dbgeng.jna.symbols.IDebugSymbols2Slots.class),
            Map.entry(DbgEngInterface.IDebugSymbols3, dev.jhtrace.dbgeng.jna.symbols.IDebugSymbols3Slots.class),
            Map.entry(DbgEngInterface.IDebugSystemObjects, dev.jhtrace.dbgeng.jna.sysobj.IDebugSystemObjectsSlots.class),
            Map.entry(DbgEngInterface.IDebugDataSpaces, dev.jhtrace.dbgeng.jna.dataspaces.IDebugDataSpacesSlots.class),
            Map.entry(DbgEngInterface.IDebugDataSpaces2, dev.jhtrace.dbgeng.jna.dataspaces.IDebugDataSpaces2Slots.class),
            Map.entry(DbgEngInterface.IDebugOutputCallbacksWide, dev.jhtrace.dbgeng.jna.callbacks.IDebugOutputCallbacksWideSlots.class),
            Map.entry(DbgEngInterface.IDebugEventCallbacksWide, dev.jhtrace.dbgeng.jna.callbacks.IDebugEventCallbacksWideSlots.class));

    private static Class<? extends VTableSlot> ownSlots(DbgEngInterface iface) {
        Class<? extends VTableSlot> slots = OWN_SLOTS.get(iface);
        assertNotNull(slots, iface + " has no slot enum");
        return slots;
    }

    @Test
    void everyDeclaredSlotHasTheReferenceMethodName() {
        int checked = 0;
        for (DbgEngInterface iface : DbgEngInterface.values()) {
            Map<Integer, String> table = reference.get(iface.name());
            assertNotNull(table, iface + " missing from the reference table");
            assertEquals(iface.name(), VTableSlot.interfaceName(ownSlots(iface)));
            for (VTableSlot s : ownSlots(iface).getEnumConstants()) {
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
                for (VTableSlot s : ownSlots(iface).getEnumConstants()) {
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
