package dev.jhtrace.dbgeng.nt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectTypeTableTest {
    private final SimulatedKernel k = new SimulatedKernel();

    @Test
    void readsEveryTypeByIndex() {
        ObjectTypeTable t = ObjectTypeTable.read(k.ntdll, k.layout, true);
        assertEquals(SimulatedKernel.TYPES.size(), t.size());
        for (int i = 0; i < SimulatedKernel.TYPES.size(); i++) assertEquals(SimulatedKernel.TYPES.get(i), t.name(i + 2));
        assertNull(t.name(1));
    }

    @Test
    void beforeWindows81TheIndexIsThePositionPlusTwo() {
        ObjectTypeTable t = ObjectTypeTable.read(k.ntdll, k.layout, false);
        assertEquals("Type", t.name(2));
        assertEquals("Mutant", t.name(8));
    }

    @Test
    void windowsVersionsDecideWhichRuleApplies() {
        assertFalse(ObjectTypeTable.hasTypeIndexField("6.1"));
        assertFalse(ObjectTypeTable.hasTypeIndexField("6.2"));
        assertTrue(ObjectTypeTable.hasTypeIndexField("6.3"));
        assertTrue(ObjectTypeTable.hasTypeIndexField("10.0"));
        assertTrue(ObjectTypeTable.hasTypeIndexField("garbage"));
    }
}
