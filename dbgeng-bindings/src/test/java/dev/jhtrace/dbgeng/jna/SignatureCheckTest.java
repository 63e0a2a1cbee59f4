package dev.jhtrace.dbgeng.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import dev.jhtrace.dbgeng.jna.client.IDebugClientSlots;
import dev.jhtrace.dbgeng.jna.client.WrapDebugClient;
import dev.jhtrace.dbgeng.jna.symbols.IDebugSymbolsSlots;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The signature-checking fake COM object can disagree with a binding: a wrong width or count is
 * refused before the native call, and a 32-bit argument is read from its low half only.
 */
class SignatureCheckTest {

    @Test
    void aUlongPassedAsALongIsRefused() {
        ComObject client = FakeComObject.of("IDebugClient5").adopt(DbgEngInterface.IDebugClient5);
        AssertionError e = assertThrows(AssertionError.class, () -> client.invoke(IDebugClientSlots.SetOutputMask, 7L));
        assertEquals("IDebugClient5::SetOutputMask (slot " + ReferenceTables.slot("IDebugClient5", "SetOutputMask") + ") parameter 1 is u32, was passed as Long (u64)", e.getMessage());
    }

    @Test
    void aUlong64NarrowedToAnIntIsRefused() {
        ComObject symbols = FakeComObject.of("IDebugSymbols3").adopt(DbgEngInterface.IDebugSymbols3);
        AssertionError e = assertThrows(AssertionError.class, () -> symbols.invoke(IDebugSymbolsSlots.GetModuleByOffset,
                0x1234, 0, new IntByReference(), new LongByReference()));
        assertTrue(e.getMessage().endsWith("parameter 1 is u64, was passed as Integer (32)"), e.getMessage());
    }

    @Test
    void aMissingArgumentIsRefused() {
        ComObject client = FakeComObject.of("IDebugClient5").adopt(DbgEngInterface.IDebugClient5);
        AssertionError e = assertThrows(AssertionError.class, () -> client.invoke(IDebugClientSlots.AttachProcess, 0L, 42));
        assertEquals("IDebugClient5::AttachProcess (slot " + ReferenceTables.slot("IDebugClient5", "AttachProcess") + ") takes 3 arguments after This, was given 2", e.getMessage());
    }

    @Test
    void aSlotCalledUnderAnotherNameIsRefused() {
        ComObject client = FakeComObject.of("IDebugClient5").adopt(DbgEngInterface.IDebugClient5);
        VTableSlot wrong = new VTableSlot() {
            @Override
            public int slot() {
                return IDebugClientSlots.SetOutputMask.slot();
            }

            @Override
            public String name() {
                return "SetOutputWidth";
            }
        };
        AssertionError e = assertThrows(AssertionError.class, () -> client.invoke(wrong, 1));
        assertEquals("IDebugClient5::SetOutputMask (slot " + ReferenceTables.slot("IDebugClient5", "SetOutputMask") + ") called as SetOutputWidth", e.getMessage());
    }

    @Test
    void garbageInTheUpperHalfOfAUlongDoesNotChangeWhatTheFakeSees() {
        FakeComObject fake = FakeComObject.of("IDebugClient5");
        long[] seen = new long[2];
        fake.on(IDebugClientSlots.SetOutputMask.slot(), call -> {
            seen[0] = call.arg(1);
            seen[1] = call.args()[1];
            return HResult.S_OK;
        });
        // unchecked, as Windows would: a 64-bit register whose upper half is left over from earlier code
        ComObject.adopt(fake.pointer(), DbgEngInterface.IDebugClient5).invoke(IDebugClientSlots.SetOutputMask, 0xDEAD_BEEF_0000_0007L);
        assertEquals(0xDEAD_BEEF_0000_0007L, seen[1], "the garbage did arrive");
        assertEquals(7L, seen[0], "and the ULONG is read from the low half only");
    }

    @Test
    void bindingsPassUlong64sWhole() {
        FakeComObject fake = FakeComObject.of("IDebugClient5");
        new WrapDebugClient(fake.adopt(DbgEngInterface.IDebugClient5)).attachProcess(0xFFFF_FFFF_0000_0001L, 42, 1);
        FakeComObject.Call c = fake.single();
        assertEquals(List.of(0xFFFF_FFFF_0000_0001L, 42L, 1L), List.of(c.arg(1), c.arg(2), c.arg(3)));
    }
}
