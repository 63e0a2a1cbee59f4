package dev.jhtrace.dbgeng.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.jna.platform.win32.COM.Unknown;
import com.sun.jna.platform.win32.Guid;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every IID against dbgeng-iids.tsv. */
class IidsTest {

    @Test
    void everyIidMatchesTheReference() {
        Map<String, String> iids = new HashMap<>();
        for (Map<String, String> r : ReferenceTables.rows("dbgeng-iids.tsv")) iids.put(r.get("interface"), r.get("iid"));
        for (DbgEngInterface iface : DbgEngInterface.values()) {
            String expected = iids.get(iface.name());
            assertNotNull(expected, iface + " missing from dbgeng-iids.tsv");
            assertEquals(expected, iface.iidString(), iface.name());
            // The native structure built from the string must be the same GUID.
            assertEquals(new Guid.GUID("{" + expected + "}"), new Guid.GUID(iface.iid()), iface.name());
        }
    }

    @Test
    void iunknownIidIsJnaPlatformsIUnknown() {
        Guid.GUID ours = new Guid.GUID("{" + DbgEngInterface.IID_IUNKNOWN + "}");
        assertEquals(new Guid.GUID(Unknown.IID_IUNKNOWN), ours);
    }
}
