package dev.jhtrace.dbgeng.jna;

/**
 * One method of a COM interface, as an index into its vtable. Implemented by one enum per interface
 * version, listing only that version's own methods in header order; a later version starts where the
 * previous one ended ({@link #after}), so every slot is declared exactly once.
 */
public interface VTableSlot {
    /** QueryInterface, AddRef and Release come first in every COM vtable. */
    int IUNKNOWN_SLOTS = 3;

    /** Index into the vtable, counting the IUnknown slots. */
    int slot();

    /** The method's name as DbgEng.h spells it. */
    String name();

    /** The first slot after the last method of {@code previous}: where the next interface version starts. */
    static <E extends Enum<E> & VTableSlot> int after(Class<E> previous) {
        E[] methods = previous.getEnumConstants();
        return methods[methods.length - 1].slot() + 1;
    }

    /** The interface a slot enum describes: {@code IDebugClient5Slots} describes {@code IDebugClient5}. */
    static String interfaceName(Class<? extends VTableSlot> slots) {
        String simple = slots.getSimpleName();
        return simple.endsWith("Slots") ? simple.substring(0, simple.length() - "Slots".length()) : simple;
    }
}
