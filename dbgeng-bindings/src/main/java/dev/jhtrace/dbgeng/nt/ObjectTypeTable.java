package dev.jhtrace.dbgeng.nt;

import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Object type names by type index, from NtQueryObject(NULL, ObjectTypesInformation). Type indexes
 * differ between Windows builds, so the table is read from the running system, once per engine
 * (a boot cannot change them). On Windows 8.1 and later each record carries its TypeIndex; before
 * that the index is the record's position + 2.
 */
public final class ObjectTypeTable {
    private final Map<Integer, String> names;

    private ObjectTypeTable(Map<Integer, String> names) {
        this.names = Map.copyOf(names);
    }

    /** The type name of an index, or null when the system did not list it. */
    public String name(int typeIndex) {
        return names.get(typeIndex);
    }

    public int size() {
        return names.size();
    }

    /** Reads the table from the system. */
    public static ObjectTypeTable read(Ntdll ntdll, NtLayout layout, boolean typeIndexField) {
        GrowingQuery.Result result = new GrowingQuery(0x8000, 16L << 20, 8).run("listing object types",
                        (buffer, length, returned) -> ntdll.NtQueryObject(null, NtConstants.OBJECT_TYPES_INFORMATION, buffer, length, returned))
                .orThrow("listing object types");
        return decode(result.memory(), result.memory().size(), layout, typeIndexField);
    }

    /** True on Windows 8.1 (6.3) and later, where OBJECT_TYPE_INFORMATION.TypeIndex is filled in. */
    public static boolean hasTypeIndexField(String osVersion) {
        String[] parts = osVersion == null ? new String[0] : osVersion.split("\\.");
        try {
            int major = parts.length > 0 ? Integer.parseInt(parts[0]) : 10;
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return major > 6 || (major == 6 && minor >= 3);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * Decodes an OBJECT_TYPES_INFORMATION buffer: a count, then pointer-aligned records, each followed
     * by its name (MaximumLength bytes, padded to pointer alignment). Stops at the buffer's end.
     */
    public static ObjectTypeTable decode(Pointer buffer, long bufferSize, NtLayout layout, boolean typeIndexField) {
        long count = buffer.getInt(layout.typesCount()) & 0xFFFF_FFFFL;
        Map<Integer, String> names = new HashMap<>();
        long offset = layout.typesFirst();
        for (long i = 0; i < count && offset + layout.typeInfoSize() <= bufferSize; i++) {
            int length = buffer.getShort(offset + layout.typeName() + layout.unicodeLength()) & 0xFFFF;
            int maxLength = buffer.getShort(offset + layout.typeName() + layout.unicodeMaximumLength()) & 0xFFFF;
            long nameOffset = offset + layout.typeInfoSize();
            if (nameOffset + length > bufferSize) break;
            String name = new String(buffer.getByteArray(nameOffset, length), StandardCharsets.UTF_16LE);
            int index = typeIndexField ? buffer.getByte(offset + layout.typeIndex()) & 0xFF : (int) i + 2;
            names.put(index, name);
            offset = nameOffset + layout.align(maxLength);
        }
        return new ObjectTypeTable(names);
    }
}
