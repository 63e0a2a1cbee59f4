package dev.jhtrace.dbgeng.nt;

/**
 * One handle of the target as ntdll lists it, before names are looked up.
 *
 * @param handle        handle value
 * @param typeIndex     object type index (see {@link ObjectTypeTable})
 * @param grantedAccess access mask
 * @param attributes    handle attributes (inherit 0x2, protect from close 0x1)
 * @param handleCount   handles to the object, or -1 when the source does not say (class 64)
 * @param pointerCount  references to the object, or -1 when the source does not say (class 64)
 */
public record RawHandle(long handle, int typeIndex, long grantedAccess, long attributes, long handleCount, long pointerCount) {
}
