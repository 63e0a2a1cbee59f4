package dev.jhtrace.dbgeng.nt;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.platform.win32.WinNT.HANDLEByReference;
import dev.jhtrace.spi.JhtraceException;

import java.nio.charset.StandardCharsets;

/**
 * Reads object names the way System Informer does without its driver: copy the handle into this
 * process with NtDuplicateObject, then NtQueryObject(ObjectNameInformation), retrying on a wrong
 * length (the I/O manager misreports it). This call can block forever on synchronous files and
 * pipes: run it only inside {@link ObjectNameWorker}, never in jhtrace's own JVM.
 */
public final class NtObjectNames {
    private final Ntdll ntdll;
    private final Kernel32Api kernel32;
    private final NtLayout layout;
    private final HANDLE target;

    /** @param target the process owning the handles, opened with PROCESS_DUP_HANDLE */
    public NtObjectNames(Ntdll ntdll, Kernel32Api kernel32, NtLayout layout, HANDLE target) {
        this.ntdll = ntdll;
        this.kernel32 = kernel32;
        this.layout = layout;
        this.target = target;
    }

    /** The name of the target's handle {@code value} ({@code ""} when the object has none). */
    public NameLookup name(long value) {
        HANDLEByReference copy = new HANDLEByReference();
        HANDLE self = kernel32.GetCurrentProcess();
        int status = ntdll.NtDuplicateObject(target, new HANDLE(Pointer.createConstant(value)), self, copy, 0, 0, NtConstants.DUPLICATE_SAME_ACCESS);
        if (!NtStatus.isSuccess(status)) return NameLookup.failed("cannot copy the handle: " + NtStatus.describe(status));
        try {
            GrowingQuery.Result result = new GrowingQuery(0x400, 0x10000 + layout.objectNameSize(), 8).run("querying the object name",
                    (buffer, length, returned) -> ntdll.NtQueryObject(copy.getValue(), NtConstants.OBJECT_NAME_INFORMATION, buffer, length, returned))
                    .orThrow("querying the object name");
            return NameLookup.of(decodeName(result.memory(), result.memory().size(), layout));
        } catch (JhtraceException e) {
            return NameLookup.failed(e.getMessage());
        } finally {
            ntdll.NtClose(copy.getValue());
        }
    }

    /**
     * Decodes OBJECT_NAME_INFORMATION: a UNICODE_STRING whose characters follow it in the same
     * buffer. Only characters inside the buffer are read, wherever the Buffer pointer points.
     */
    public static String decodeName(Pointer buffer, long bufferSize, NtLayout layout) {
        int length = buffer.getShort(layout.unicodeLength()) & 0xFFFF;
        if (length == 0) return "";
        long address = layout.readPointer(buffer, layout.unicodeBuffer());
        long offset = address - Pointer.nativeValue(buffer);
        if (offset < layout.objectNameSize() || offset + length > bufferSize) offset = layout.objectNameSize();
        length = (int) Math.min(length, bufferSize - offset) & ~1;
        return new String(buffer.getByteArray(offset, length), StandardCharsets.UTF_16LE); // UNICODE_STRING is UTF-16LE on every Windows
    }
}
