package dev.jhtrace.dbgeng.engine;

import com.sun.jna.Platform;
import com.sun.jna.platform.win32.VerRsrc;
import com.sun.jna.platform.win32.VersionUtil;
import java.nio.file.Path;

/** File versions of DLLs, from their version resource (Windows only). */
public final class FileVersions {
    private FileVersions() {
    }

    /** {@code 10.0.26100.1} from VS_FIXEDFILEINFO's two version DWORDs. */
    public static String format(int versionMs, int versionLs) {
        return (versionMs >>> 16) + "." + (versionMs & 0xFFFF) + "." + (versionLs >>> 16) + "." + (versionLs & 0xFFFF);
    }

    /** The file version, or {@code "unknown"} when the file has no version resource or this is not Windows. */
    public static String of(Path dll) {
        if (!Platform.isWindows()) return "unknown";
        try {
            VerRsrc.VS_FIXEDFILEINFO info = VersionUtil.getFileVersionInfo(dll.toString());
            return format(info.dwFileVersionMS.intValue(), info.dwFileVersionLS.intValue());
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
