package dev.jhtrace.dbgeng.engine;

import dev.jhtrace.dbgeng.jna.DbgEngException;
import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks for the newest interface version first and falls back, in the fixed order of the given list, only
 * when the answer is E_NOINTERFACE. Any other failure (access denied, a broken engine) is reported as is:
 * hiding it behind an older version would only move the error.
 */
public final class InterfaceNegotiation {

    /** One way to obtain an interface version: DebugCreate or QueryInterface. */
    @FunctionalInterface
    public interface Attempt<T> {
        T obtain(DbgEngInterface version);
    }

    /**
     * What was obtained.
     *
     * @param chosen  the version that answered
     * @param value   the interface
     * @param refused newer versions that answered E_NOINTERFACE, newest first
     */
    public record Outcome<T>(DbgEngInterface chosen, T value, List<DbgEngInterface> refused) {
        /** {@code IDebugClient5} or {@code IDebugClient4 (IDebugClient5 not offered)}. */
        public String describe() {
            return refused.isEmpty() ? chosen.name() : chosen.name() + " (" + names(refused) + " not offered)";
        }
    }

    private InterfaceNegotiation() {
    }

    /**
     * @param newestFirst versions to try, in order (one of the {@code DbgEngInterface.*_NEWEST_FIRST} lists)
     * @param dll         which dbgeng.dll answered (path and file version), for the message when none does
     */
    public static <T> Outcome<T> negotiate(List<DbgEngInterface> newestFirst, Attempt<T> attempt, String dll) {
        List<DbgEngInterface> refused = new ArrayList<>();
        for (DbgEngInterface version : newestFirst) {
            try {
                T value = attempt.obtain(version);
                return new Outcome<>(version, value, List.copyOf(refused));
            } catch (DbgEngException e) {
                if (!e.isNoInterface()) throw e;
                refused.add(version);
            }
        }
        throw new JhtraceException(Failure.ENGINE_UNAVAILABLE,
                dll + " offers none of " + names(newestFirst) + " (all answered E_NOINTERFACE); install a current Debugging Tools for Windows");
    }

    private static String names(List<DbgEngInterface> list) {
        return String.join(", ", list.stream().map(Enum::name).toList());
    }
}
