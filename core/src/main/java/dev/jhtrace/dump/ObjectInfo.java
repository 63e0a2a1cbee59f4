package dev.jhtrace.dump;

import java.util.HexFormat;

/**
 * One MINIDUMP_HANDLE_OBJECT_INFORMATION record of a handle's ObjectInfo chain: type-specific data
 * (thread, mutant, process, event, section, semaphore) whose layouts Microsoft does not document,
 * kept as raw bytes.
 *
 * @param infoType a MINIDUMP_HANDLE_OBJECT_INFORMATION_TYPE value
 * @param data     the record's bytes (a copy; never modified)
 */
public record ObjectInfo(int infoType, byte[] data) {
    private static final String[] NAMES = {"MiniHandleObjectInformationNone", "MiniThreadInformation1",
        "MiniMutantInformation1", "MiniMutantInformation2", "MiniProcessInformation1", "MiniProcessInformation2",
        "MiniEventInformation1", "MiniSectionInformation1", "MiniSemaphoreInformation1"};

    public ObjectInfo {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The documented name of the info type, e.g. {@code MiniMutantInformation2}, or {@code InfoType<n>}. */
    public String typeName() {
        return infoType >= 0 && infoType < NAMES.length ? NAMES[infoType] : "InfoType" + Integer.toUnsignedString(infoType);
    }

    /** The data in hex, e.g. {@code 0100000000000000}. */
    public String hex() {
        return HexFormat.of().formatHex(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectInfo other && other.infoType == infoType && java.util.Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * infoType + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return typeName() + "[" + hex() + "]";
    }
}
