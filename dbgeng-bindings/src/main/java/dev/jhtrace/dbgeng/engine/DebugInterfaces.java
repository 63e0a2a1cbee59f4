package dev.jhtrace.dbgeng.engine;

import dev.jhtrace.dbgeng.jna.client.DebugClient;
import dev.jhtrace.dbgeng.jna.control.DebugControl;
import dev.jhtrace.dbgeng.jna.dataspaces.DebugDataSpaces;
import dev.jhtrace.dbgeng.jna.symbols.DebugSymbols;
import dev.jhtrace.dbgeng.jna.sysobj.DebugSystemObjects;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one {@code DbgEngClient} holds, all obtained on (and owned by) the engine thread. The reentrant
 * client and its control are separate objects made with CreateClient on the engine thread; other threads
 * use them only for the documented thread-safe calls (SetInterrupt, ExitDispatch).
 *
 * @param client            the engine thread's client
 * @param control           its control interface
 * @param symbols           its symbols interface
 * @param systemObjects     its system-objects interface
 * @param dataSpaces        its data-spaces interface
 * @param reentrantClient   a second client, used from other threads for ExitDispatch
 * @param reentrantControl  the second client's control, used from other threads for SetInterrupt
 * @param versions          which version of each interface was obtained, e.g. {@code IDebugClient5}
 * @param dll               dbgeng.dll path and file version
 */
public record DebugInterfaces(DebugClient client, DebugControl control, DebugSymbols symbols,
                              DebugSystemObjects systemObjects, DebugDataSpaces dataSpaces,
                              DebugClient reentrantClient, DebugControl reentrantControl,
                              List<String> versions, String dll) {
    public DebugInterfaces {
        versions = List.copyOf(versions);
    }

    /**
     * Releases every interface, newest-obtained first, on the calling (engine) thread. Keeps going after a
     * failure so one broken release does not leak the rest; returns what failed.
     */
    public List<Throwable> releaseAll() {
        List<Throwable> failures = new ArrayList<>();
        List<Runnable> releases = List.of(reentrantControl::release, reentrantClient::release, dataSpaces::release,
                systemObjects::release, symbols::release, control::release, client::release);
        for (Runnable r : releases) {
            try {
                r.run();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        return failures;
    }
}
