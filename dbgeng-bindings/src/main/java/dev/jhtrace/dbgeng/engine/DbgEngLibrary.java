package dev.jhtrace.dbgeng.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.platform.win32.Guid;
import com.sun.jna.ptr.PointerByReference;
import dev.jhtrace.dbgeng.jna.ComObject;
import dev.jhtrace.dbgeng.jna.DbgEngException;
import dev.jhtrace.dbgeng.jna.DbgEngInterface;
import java.lang.ref.Reference;
import java.util.List;

/**
 * A loaded dbgeng.dll (with its dbghelp) and what is known about it.
 *
 * @param dbgeng         the loaded library
 * @param location       where it was loaded from
 * @param dbgengVersion  dbgeng.dll file version
 * @param dbghelpVersion dbghelp.dll file version
 * @param warnings       loader warnings (System32 copy, no symsrv, foreign dbghelp already loaded)
 */
public record DbgEngLibrary(NativeLibrary dbgeng, DbgEngLocation location, String dbgengVersion,
                            String dbghelpVersion, List<String> warnings) {
    public DbgEngLibrary {
        warnings = List.copyOf(warnings);
    }

    /** {@code C:\...\dbgeng.dll 10.0.26100.1}: what error messages and logs name. */
    public String describe() {
        return location.dbgeng() + " " + dbgengVersion;
    }

    /** DebugCreate(InterfaceId, Interface): a new client, owned by the calling thread. */
    public ComObject debugCreate(DbgEngInterface version) {
        Function debugCreate = dbgeng.getFunction("DebugCreate");
        Guid.IID iid = version.iid();
        PointerByReference out = new PointerByReference();
        int hr = debugCreate.invokeInt(new Object[] {iid.getPointer(), out});
        Reference.reachabilityFence(iid);
        String method = "DebugCreate(" + version + ")";
        DbgEngException.check(method, hr);
        return ComObject.adopt(ComObject.requireReturned(method, out.getValue()), version);
    }
}
