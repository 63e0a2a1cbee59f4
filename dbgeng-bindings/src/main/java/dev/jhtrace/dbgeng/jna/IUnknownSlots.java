package dev.jhtrace.dbgeng.jna;

/** The three IUnknown methods at the head of every COM vtable. */
public enum IUnknownSlots implements VTableSlot {
    QueryInterface, AddRef, Release;

    @Override
    public int slot() {
        return ordinal();
    }
}
