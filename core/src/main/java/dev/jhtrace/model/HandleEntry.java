package dev.jhtrace.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One open handle (or file descriptor), as {@code !handle} or {@code /proc/PID/fd} shows it.
 * Everything but the value is optional (null when unknown).
 *
 * @param handle        handle value, or descriptor number
 * @param type          object type name: {@code File}, {@code Key}, {@code Event}, {@code Socket}, ...
 * @param name          object name: a path, a registry key, {@code socket:[1234]} ...
 * @param grantedAccess access mask granted to the handle (Windows), or the open flags (Linux)
 * @param attributes    handle attributes (Windows: inherit, protect-from-close)
 * @param handleCount   number of handles to the object
 * @param pointerCount  number of references to the object
 * @param details       further facts in display order (object-specific information, fd position, socket peer ...)
 * @param objectId      the object's identity where the source knows one (Linux: the inode number), to tell whether a
 *                      traced OPEN was of this object ({@link TraceEvent#objectId()})
 */
public record HandleEntry(long handle, String type, String name, Long grantedAccess, Long attributes,
                          Long handleCount, Long pointerCount, Map<String, String> details, Long objectId) {

    /** An entry whose object identity is not known. */
    public HandleEntry(long handle, String type, String name, Long grantedAccess, Long attributes,
                       Long handleCount, Long pointerCount, Map<String, String> details) {
        this(handle, type, name, grantedAccess, attributes, handleCount, pointerCount, details, null);
    }

    public HandleEntry {
        details = details == null || details.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** An entry known by value and type only. */
    public static HandleEntry of(long handle, String type, String name) {
        return new HandleEntry(handle, type, name, null, null, null, null, Map.of());
    }

    /** This entry with the facts {@code other} knows and this one does not (used when several commands show one handle). */
    public HandleEntry mergedWith(HandleEntry other) {
        if (other == null) return this;
        Map<String, String> d = new LinkedHashMap<>(other.details);
        d.putAll(details);
        return new HandleEntry(handle,
                type != null ? type : other.type,
                name != null ? name : other.name,
                grantedAccess != null ? grantedAccess : other.grantedAccess,
                attributes != null ? attributes : other.attributes,
                handleCount != null ? handleCount : other.handleCount,
                pointerCount != null ? pointerCount : other.pointerCount,
                d,
                objectId != null ? objectId : other.objectId);
    }

    /** The handle value as WinDbg prints it in listings, e.g. {@code 0x3c}. */
    public String hex() {
        return "0x" + Long.toHexString(handle);
    }
}
