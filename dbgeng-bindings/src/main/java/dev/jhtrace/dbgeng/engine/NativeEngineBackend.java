package dev.jhtrace.dbgeng.engine;

import dev.jhtrace.dbgeng.jna.ComObject;
import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import dev.jhtrace.dbgeng.jna.client.DebugClient;
import dev.jhtrace.dbgeng.jna.client.WrapDebugClient;
import dev.jhtrace.dbgeng.jna.control.DebugControl;
import dev.jhtrace.dbgeng.jna.control.WrapDebugControl;
import dev.jhtrace.dbgeng.jna.dataspaces.WrapDebugDataSpaces;
import dev.jhtrace.dbgeng.jna.symbols.WrapDebugSymbols;
import dev.jhtrace.dbgeng.jna.sysobj.WrapDebugSystemObjects;
import java.util.ArrayList;
import java.util.List;

/**
 * The real backend: DebugCreate for the newest IDebugClient the DLL offers, then QueryInterface for the
 * newest of each other interface, each falling back in the fixed newest-first order on E_NOINTERFACE.
 * Also creates the reentrant client (CreateClient, keeping the pointer it returns) for other threads.
 */
public final class NativeEngineBackend implements EngineBackend {
    private static final System.Logger LOG = System.getLogger(NativeEngineBackend.class.getName());
    private final DbgEngLibrary library;

    public NativeEngineBackend(DbgEngLibrary library) {
        this.library = library;
    }

    @Override
    public DebugInterfaces open() {
        String dll = library.describe();
        List<String> versions = new ArrayList<>();
        var client = InterfaceNegotiation.negotiate(DbgEngInterface.CLIENT_NEWEST_FIRST, library::debugCreate, dll);
        versions.add(client.describe());
        ComObject clientCom = client.value();
        List<ComObject> obtained = new ArrayList<>(List.of(clientCom));
        try {
            var control = InterfaceNegotiation.negotiate(DbgEngInterface.CONTROL_NEWEST_FIRST, clientCom::queryInterface, dll);
            obtained.add(control.value());
            versions.add(control.describe());
            var symbols = InterfaceNegotiation.negotiate(DbgEngInterface.SYMBOLS_NEWEST_FIRST, clientCom::queryInterface, dll);
            obtained.add(symbols.value());
            versions.add(symbols.describe());
            var sys = InterfaceNegotiation.negotiate(DbgEngInterface.SYSTEM_OBJECTS_NEWEST_FIRST, clientCom::queryInterface, dll);
            obtained.add(sys.value());
            versions.add(sys.describe());
            var data = InterfaceNegotiation.negotiate(DbgEngInterface.DATA_SPACES_NEWEST_FIRST, clientCom::queryInterface, dll);
            obtained.add(data.value());
            versions.add(data.describe());
            DebugClient main = new WrapDebugClient(clientCom);
            DebugClient reentrant = main.createClient();
            obtained.add(reentrant.com());
            DebugControl reentrantControl = new WrapDebugControl(
                    InterfaceNegotiation.negotiate(DbgEngInterface.CONTROL_NEWEST_FIRST, reentrant.com()::queryInterface, dll).value());
            LOG.log(System.Logger.Level.INFO, "dbgeng " + dll + ": " + String.join(", ", versions));
            return new DebugInterfaces(main, new WrapDebugControl(control.value()), new WrapDebugSymbols(symbols.value()),
                    new WrapDebugSystemObjects(sys.value()), new WrapDebugDataSpaces(data.value()),
                    reentrant, reentrantControl, versions, dll);
        } catch (RuntimeException e) {
            for (int i = obtained.size() - 1; i >= 0; i--) {
                try {
                    obtained.get(i).release();
                } catch (RuntimeException ignored) {
                    // keep releasing the rest
                }
            }
            throw e;
        }
    }
}
