package dev.jhtrace.dump;

/**
 * One entry of the stream directory (MINIDUMP_DIRECTORY).
 *
 * @param streamType a MINIDUMP_STREAM_TYPE value (12 handle data, 18 handle operations ...)
 * @param dataSize   size of the stream in bytes
 * @param rva        file offset of the stream
 */
public record StreamEntry(long streamType, long dataSize, long rva) {
    public static final int MODULE_LIST = 4;
    public static final int SYSTEM_INFO = 7;
    public static final int HANDLE_DATA = 12;
    public static final int MISC_INFO = 15;
    public static final int HANDLE_OPERATION_LIST = 18;
}
