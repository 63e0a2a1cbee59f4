package dev.jhtrace.dbgeng.api;

import com.sun.jna.Platform;
import dev.jhtrace.dbgeng.engine.DbgEngLoader;
import dev.jhtrace.dbgeng.engine.DbgEngLocation;
import dev.jhtrace.dbgeng.engine.DbgEngLocator;
import dev.jhtrace.dbgeng.engine.FileVersions;
import dev.jhtrace.dbgeng.engine.LocatorEnvironment;
import dev.jhtrace.spi.JhtraceException;
import java.util.ArrayList;
import java.util.List;

/**
 * Explains the dbgeng setup: which dbgeng/dbghelp would be loaded and their versions, symsrv.dll
 * presence, JVM bitness, and (given a started client) the interface versions and the symbol path.
 * Never throws: whatever is wrong becomes a line of the report.
 */
public final class DbgEngDoctor {
    private DbgEngDoctor() {
    }

    /**
     * What the doctor found.
     *
     * @param available      whether a client can start here
     * @param reason         why not, or null
     * @param jvm            JVM bitness and OS, e.g. {@code 64-bit JVM on Linux}
     * @param location       the folder found, or null
     * @param dbgengVersion  dbgeng.dll file version, or null
     * @param dbghelpVersion dbghelp.dll file version, or null
     * @param symsrvPresent  whether symsrv.dll is next to dbghelp
     * @param interfaces     interface versions of a started client (empty without one)
     * @param symbolPath     symbol path of a started client, or null
     * @param warnings       one line each
     */
    public record Report(boolean available, String reason, String jvm, DbgEngLocation location, String dbgengVersion,
                         String dbghelpVersion, boolean symsrvPresent, List<String> interfaces, String symbolPath,
                         List<String> warnings) {
        public Report {
            interfaces = List.copyOf(interfaces);
            warnings = List.copyOf(warnings);
        }

        /** Human-readable, one fact per line. */
        public String toText() {
            StringBuilder sb = new StringBuilder();
            sb.append("dbgeng: ").append(available ? "available" : "unavailable: " + reason).append('\n');
            sb.append("jvm: ").append(jvm).append('\n');
            if (location != null) {
                sb.append("dbgeng.dll: ").append(location.dbgeng()).append(" (").append(dbgengVersion).append(")\n");
                sb.append("dbghelp.dll: ").append(location.dbghelp()).append(" (").append(dbghelpVersion).append(")\n");
                sb.append("found via: ").append(location.source()).append('\n');
                sb.append("symsrv.dll: ").append(symsrvPresent ? "present" : "missing").append('\n');
            }
            if (!interfaces.isEmpty()) sb.append("interfaces: ").append(String.join(", ", interfaces)).append('\n');
            if (symbolPath != null) sb.append("symbol path: ").append(symbolPath).append('\n');
            for (String w : warnings) sb.append("warning: ").append(w).append('\n');
            return sb.toString();
        }
    }

    /** The setup of this machine and JVM. */
    public static Report describe() {
        return describe(LocatorEnvironment.system(), Platform.isWindows(), Platform.is64Bit());
    }

    /** The setup, plus the interfaces and symbol path of a started client. */
    public static Report describe(DbgEngClient dbgeng) {
        Report base = describe();
        List<String> warnings = new ArrayList<>(base.warnings());
        warnings.addAll(dbgeng.warnings());
        List<String> interfaces = List.of();
        String symbolPath = null;
        try {
            interfaces = dbgeng.interfaceVersions();
            symbolPath = dbgeng.symbolPath();
        } catch (JhtraceException e) {
            warnings.add("dbgeng client: " + e.getMessage());
        }
        return new Report(base.available(), base.reason(), base.jvm(), base.location(), base.dbgengVersion(),
                base.dbghelpVersion(), base.symsrvPresent(), interfaces, symbolPath, warnings);
    }

    /** Package-private so tests can describe fake Windows folder layouts from any OS. */
    static Report describe(LocatorEnvironment env, boolean windows, boolean jvm64) {
        String jvm = (jvm64 ? "64" : "32") + "-bit JVM on " + System.getProperty("os.name");
        if (!windows) return new Report(false, DbgEngLoader.ONLY_ON_WINDOWS, jvm, null, null, null, false, List.of(), null, List.of());
        DbgEngLocation loc;
        try {
            loc = new DbgEngLocator(env).locate();
        } catch (JhtraceException e) {
            return new Report(false, e.getMessage(), jvm, null, null, null, false, List.of(), null, List.of());
        }
        String reason = jvm64 ? null : "dbgeng.dll needs a 64-bit JVM here";
        return new Report(jvm64, reason, jvm, loc, FileVersions.of(loc.dbgeng()), FileVersions.of(loc.dbghelp()),
                loc.hasSymsrv(), List.of(), null, loc.warnings());
    }
}
