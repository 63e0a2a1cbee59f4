package dev.jhtrace.dbgeng.nt;

import com.sun.jna.Native;
import com.sun.jna.Library;
import com.sun.jna.win32.W32APITypeMapper;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The native libraries the Windows engine calls, loaded together.
 *
 * @param ntdll    ntdll.dll
 * @param kernel32 kernel32.dll
 * @param advapi32 advapi32.dll (token privileges)
 * @param layout    structure offsets for this process's pointer size
 * @param lastError the Win32 error of this thread's last native call ({@link Native#getLastError()}, which JNA
 *                  captures right after each call, before the JVM can overwrite it)
 */
public record WindowsNative(Ntdll ntdll, Kernel32Api kernel32, Advapi32Api advapi32, NtLayout layout, IntSupplier lastError) {

    /** True when this JVM runs on Windows. */
    public static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** Loads ntdll, kernel32 and advapi32; on any other OS, a clear ENGINE_UNAVAILABLE error. */
    public static WindowsNative load() {
        if (!isWindows()) throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "the Windows engine runs on Windows only");
        if (Native.POINTER_SIZE == 4 && System.getenv("PROCESSOR_ARCHITEW6432") != null) {
            // a WOW64 process gets 32-bit views of 64-bit structures; the trace and handle layouts would not match
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "the Windows engine needs a 64-bit Java on 64-bit Windows");
        }
        try {
            Ntdll ntdll = Native.load("ntdll", Ntdll.class);
            // Strings as UTF-16; the function names already end in W, so no function mapper
            Kernel32Api kernel32 = Native.load("kernel32", Kernel32Api.class, Map.of(Library.OPTION_TYPE_MAPPER, W32APITypeMapper.UNICODE));
            Advapi32Api advapi32 = Native.load("advapi32", Advapi32Api.class, Map.of(Library.OPTION_TYPE_MAPPER, W32APITypeMapper.UNICODE));
            return new WindowsNative(ntdll, kernel32, advapi32, NtLayout.current(), Native::getLastError);
        } catch (UnsatisfiedLinkError e) {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "cannot load ntdll/kernel32/advapi32: " + e.getMessage(), e);
        }
    }
}
