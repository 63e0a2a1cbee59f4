package dev.jhtrace.dbgeng.nt;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.platform.win32.WinNT.HANDLEByReference;
import com.sun.jna.ptr.IntByReference;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class NtObjectNamesTest {
    private final SimulatedKernel k = new SimulatedKernel();
    private static final HANDLE COPY = new HANDLE(Pointer.createConstant(0x999));

    private static void writeName(Pointer buffer, NtLayout l, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_16LE);
        buffer.setShort(l.unicodeLength(), (short) bytes.length);
        buffer.setShort(l.unicodeMaximumLength(), (short) (bytes.length + 2));
        l.writePointer(buffer, l.unicodeBuffer(), Pointer.nativeValue(buffer) + l.objectNameSize());
        buffer.write(l.objectNameSize(), bytes, 0, bytes.length);
    }

    @Test
    void copiesTheHandleQueriesTheNameAndClosesTheCopy() {
        String name = "\\REGISTRY\\MACHINE\\SOFTWARE\\Leaky";
        when(k.ntdll.NtDuplicateObject(any(), any(), any(), any(), anyInt(), anyInt(), anyInt())).thenAnswer(inv -> {
            ((HANDLEByReference) inv.getArgument(3)).setValue(COPY);
            return NtStatus.STATUS_SUCCESS;
        });
        int[] calls = {0};
        doAnswer(inv -> {
            int length = inv.getArgument(3);
            int needed = k.layout.objectNameSize() + name.length() * 2 + 2;
            ((IntByReference) inv.getArgument(4)).setValue(needed);
            // the first answer lies about the length, as the I/O manager sometimes does
            if (calls[0]++ == 0 || length < needed) return NtStatus.STATUS_INFO_LENGTH_MISMATCH;
            writeName(inv.getArgument(2), k.layout, name);
            return NtStatus.STATUS_SUCCESS;
        }).when(k.ntdll).NtQueryObject(eq(COPY), eq(NtConstants.OBJECT_NAME_INFORMATION), any(), anyInt(), any());
        NtObjectNames names = new NtObjectNames(k.ntdll, k.kernel32, k.layout, SimulatedKernel.PROCESS);
        assertEquals(NameLookup.of(name), names.name(0x44));
        verify(k.ntdll).NtDuplicateObject(eq(SimulatedKernel.PROCESS), eq(new HANDLE(Pointer.createConstant(0x44))), any(), any(),
                eq(0), eq(0), eq(NtConstants.DUPLICATE_SAME_ACCESS));
        verify(k.ntdll).NtClose(COPY);
    }

    @Test
    void aHandleThatCannotBeCopiedSaysWhy() {
        when(k.ntdll.NtDuplicateObject(any(), any(), any(), any(), anyInt(), anyInt(), anyInt())).thenReturn(NtStatus.STATUS_ACCESS_DENIED);
        NameLookup n = new NtObjectNames(k.ntdll, k.kernel32, k.layout, SimulatedKernel.PROCESS).name(0x44);
        assertNull(n.name());
        assertTrue(n.problem().contains("STATUS_ACCESS_DENIED"), n.problem());
    }

    @Test
    void decodeStaysInsideTheBuffer() {
        NtLayout l = NtLayout.X64;
        Memory m = new Memory(64);
        m.clear();
        writeName(m, l, "\\Device\\Foo");
        assertEquals("\\Device\\Foo", NtObjectNames.decodeName(m, m.size(), l));
        l.writePointer(m, l.unicodeBuffer(), 0x1000); // a pointer outside the buffer: read the characters after the header
        assertEquals("\\Device\\Foo", NtObjectNames.decodeName(m, m.size(), l));
        m.setShort(l.unicodeLength(), (short) 2000); // a length past the end is cut
        assertEquals(24, NtObjectNames.decodeName(m, m.size(), l).length());
        m.setShort(l.unicodeLength(), (short) 0);
        assertEquals("", NtObjectNames.decodeName(m, m.size(), l));
    }
}
