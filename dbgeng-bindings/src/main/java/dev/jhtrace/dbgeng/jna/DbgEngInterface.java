package dev.jhtrace.dbgeng.jna;

import com.sun.jna.platform.win32.Guid;
import java.util.List;

/**
 * The dbgeng COM interfaces jhtrace binds: IID and version within its family. Each interface's vtable is
 * declared by its {@code <name>Slots} enum in the sub-package of its family, which depends on this package,
 * never the other way round. The {@code *_NEWEST_FIRST} lists fix the order in which versions are asked for
 * (a List, never a Map: the order is the point).
 */
public enum DbgEngInterface {
    IDebugClient("27fe5639-8407-4f47-8364-ee118fb08ac8", 1),
    IDebugClient2("edbed635-372e-4dab-bbfe-ed0d2f63be81", 2),
    IDebugClient3("dd492d7f-71b8-4ad6-a8dc-1c887479ff91", 3),
    IDebugClient4("ca83c3de-5089-4cf8-93c8-d892387f2a5e", 4),
    IDebugClient5("e3acb9d7-7ec2-4f0c-a0da-e81e0cbbe628", 5),
    IDebugControl("5182e668-105e-416e-ad92-24ef800424ba", 1),
    IDebugControl2("d4366723-44df-4bed-8c7e-4c05424f4588", 2),
    IDebugControl3("7df74a86-b03f-407f-90ab-a20dadcead08", 3),
    IDebugControl4("94e60ce9-9b41-4b19-9fc0-6d9eb35272b3", 4),
    IDebugSymbols("8c31e98c-983a-48a5-9016-6fe5d667a950", 1),
    IDebugSymbols2("3a707211-afdd-4495-ad4f-56fecdf8163f", 2),
    IDebugSymbols3("f02fbecc-50ac-4f36-9ad9-c975e8f32ff8", 3),
    IDebugSystemObjects("6b86fe2c-2c4f-4f0c-9da2-174311acc327", 1),
    IDebugDataSpaces("88f7dfab-3ea7-4c3a-aefb-c4e8106173aa", 1),
    IDebugDataSpaces2("7a5e852f-96e9-468f-ac1b-0b3addc4a049", 2),
    IDebugOutputCallbacksWide("4c7fd663-c394-4e26-8ef1-34ad5ed3764c", 1),
    IDebugEventCallbacksWide("0690e046-9c23-45ac-a04f-987ac29ad0d3", 1);

    /** IUnknown's IID, which every COM object (including our callbacks) must answer. */
    public static final String IID_IUNKNOWN = "00000000-0000-0000-c000-000000000046";

    public static final List<DbgEngInterface> CLIENT_NEWEST_FIRST =
            List.of(IDebugClient5, IDebugClient4, IDebugClient3, IDebugClient2, IDebugClient);
    public static final List<DbgEngInterface> CONTROL_NEWEST_FIRST =
            List.of(IDebugControl4, IDebugControl3, IDebugControl2, IDebugControl);
    public static final List<DbgEngInterface> SYMBOLS_NEWEST_FIRST =
            List.of(IDebugSymbols3, IDebugSymbols2, IDebugSymbols);
    public static final List<DbgEngInterface> SYSTEM_OBJECTS_NEWEST_FIRST = List.of(IDebugSystemObjects);
    public static final List<DbgEngInterface> DATA_SPACES_NEWEST_FIRST = List.of(IDebugDataSpaces2, IDebugDataSpaces);

    private final String iid;
    private final int version;
    DbgEngInterface(String iid, int version) {
        this.iid = iid;
        this.version = version;
    }

    /** Lower-case 8-4-4-4-12 form, as DEFINE_GUID gives it. */
    public String iidString() {
        return iid;
    }

    /** A fresh native IID structure (callers may pass it to native code, which needs its own memory). */
    public Guid.IID iid() {
        return new Guid.IID("{" + iid + "}");
    }

    /** 1 for the base interface, N for IDebugXxxN. */
    public int version() {
        return version;
    }
}
