package dev.jhtrace.dump;

import java.util.List;

/**
 * One MINIDUMP_HANDLE_DESCRIPTOR (or _2) of the HandleDataStream (12), strings resolved.
 *
 * @param handle        the handle value
 * @param typeName      the object type, or null when the writer recorded none (TypeNameRva 0)
 * @param objectName    the object name, or null when none was recorded
 * @param attributes    handle attributes
 * @param grantedAccess access mask
 * @param handleCount   handles to the object
 * @param pointerCount  references to the object
 * @param objectInfo    the ObjectInfo chain in file order (empty for the 32-byte form)
 */
public record HandleDescriptor(long handle, String typeName, String objectName, long attributes, long grantedAccess,
                               long handleCount, long pointerCount, List<ObjectInfo> objectInfo) {
    public HandleDescriptor {
        objectInfo = List.copyOf(objectInfo);
    }
}
