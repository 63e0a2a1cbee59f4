package dev.jhtrace.dump;

import java.util.List;

/**
 * Offsets and sizes of the minidump structures the reader decodes, in one place so that a test can
 * hold every one against the reference table compiled from the Windows SDK headers. The MINIDUMP_*
 * structures are packed to 4 bytes ({@code pshpack4.h}); AVRF_HANDLE_OPERATION is naturally aligned.
 * Every one has the same layout on x86 and x64, so one set of numbers reads dumps of both.
 */
final class Layout {
    private Layout() {
    }

    /**
     * One field as the reader uses it.
     *
     * @param struct the C structure name
     * @param field  the member name ({@code (sizeof)} for the structure size)
     * @param offset byte offset, -1 for {@code (sizeof)}
     * @param size   byte size
     */
    record Field(String struct, String field, int offset, int size) {
    }

    static final int SIGNATURE = 0x504D444D; // "MDMP"
    static final int VERSION = 0xA793;        // low 16 bits of Version; the high 16 are the writer's own

    // MINIDUMP_HEADER
    static final int HEADER_SIZE = 32;
    static final int HEADER_SIGNATURE = 0;
    static final int HEADER_VERSION = 4;
    static final int HEADER_NUMBER_OF_STREAMS = 8;
    static final int HEADER_STREAM_DIRECTORY_RVA = 12;
    static final int HEADER_TIME_DATE_STAMP = 20;
    static final int HEADER_FLAGS = 24;

    // MINIDUMP_DIRECTORY
    static final int DIRECTORY_SIZE = 12;
    static final int DIRECTORY_STREAM_TYPE = 0;
    static final int DIRECTORY_DATA_SIZE = 4;
    static final int DIRECTORY_RVA = 8;

    // MINIDUMP_STRING: ULONG32 Length (bytes, no terminator) then UTF-16LE
    static final int STRING_LENGTH = 0;
    static final int STRING_BUFFER = 4;

    // MINIDUMP_HANDLE_DATA_STREAM
    static final int HANDLE_DATA_HEADER_SIZE = 16;
    static final int HANDLE_DATA_SIZE_OF_HEADER = 0;
    static final int HANDLE_DATA_SIZE_OF_DESCRIPTOR = 4;
    static final int HANDLE_DATA_NUMBER_OF_DESCRIPTORS = 8;

    // MINIDUMP_HANDLE_DESCRIPTOR and _2 (the _2 form appends ObjectInfoRva and Reserved0)
    static final int DESCRIPTOR_SIZE = 32;
    static final int DESCRIPTOR_2_SIZE = 40;
    static final int DESCRIPTOR_HANDLE = 0;
    static final int DESCRIPTOR_TYPE_NAME_RVA = 8;
    static final int DESCRIPTOR_OBJECT_NAME_RVA = 12;
    static final int DESCRIPTOR_ATTRIBUTES = 16;
    static final int DESCRIPTOR_GRANTED_ACCESS = 20;
    static final int DESCRIPTOR_HANDLE_COUNT = 24;
    static final int DESCRIPTOR_POINTER_COUNT = 28;
    static final int DESCRIPTOR_2_OBJECT_INFO_RVA = 32;

    // MINIDUMP_HANDLE_OBJECT_INFORMATION, followed by SizeOfInfo bytes of data
    static final int OBJECT_INFO_SIZE = 12;
    static final int OBJECT_INFO_NEXT_INFO_RVA = 0;
    static final int OBJECT_INFO_INFO_TYPE = 4;
    static final int OBJECT_INFO_SIZE_OF_INFO = 8;

    // MINIDUMP_HANDLE_OPERATION_LIST
    static final int OPERATION_LIST_HEADER_SIZE = 16;
    static final int OPERATION_LIST_SIZE_OF_HEADER = 0;
    static final int OPERATION_LIST_SIZE_OF_ENTRY = 4;
    static final int OPERATION_LIST_NUMBER_OF_ENTRIES = 8;

    // AVRF_HANDLE_OPERATION with its embedded AVRF_BACKTRACE_INFORMATION
    static final int OPERATION_SIZE = 288;
    static final int OPERATION_HANDLE = 0;
    static final int OPERATION_PROCESS_ID = 8;
    static final int OPERATION_THREAD_ID = 12;
    static final int OPERATION_TYPE = 16;
    static final int OPERATION_BACKTRACE_DEPTH = 24;
    static final int OPERATION_BACKTRACE_INDEX = 28;
    static final int OPERATION_RETURN_ADDRESSES = 32;
    static final int MAX_TRACES = 32; // AVRF_MAX_TRACES

    // MINIDUMP_MODULE_LIST / MINIDUMP_MODULE (not in the reference table: checked against the real breakpad dump)
    static final int MODULE_LIST_COUNT_SIZE = 4;
    static final int MODULE_SIZE = 108;
    static final int MODULE_BASE_OF_IMAGE = 0;
    static final int MODULE_SIZE_OF_IMAGE = 8;
    static final int MODULE_CHECKSUM = 12;
    static final int MODULE_TIME_DATE_STAMP = 16;
    static final int MODULE_NAME_RVA = 20;

    // MINIDUMP_SYSTEM_INFO (not in the reference table)
    static final int SYSTEM_INFO_SIZE = 56;
    static final int SYSTEM_INFO_PROCESSOR_ARCHITECTURE = 0;
    static final int SYSTEM_INFO_NUMBER_OF_PROCESSORS = 6;
    static final int SYSTEM_INFO_PRODUCT_TYPE = 7;
    static final int SYSTEM_INFO_MAJOR_VERSION = 8;
    static final int SYSTEM_INFO_MINOR_VERSION = 12;
    static final int SYSTEM_INFO_BUILD_NUMBER = 16;
    static final int SYSTEM_INFO_PLATFORM_ID = 20;
    static final int SYSTEM_INFO_CSD_VERSION_RVA = 24;

    // MINIDUMP_MISC_INFO (the first 24 bytes, shared by every later MISC_INFO_n)
    static final int MISC_INFO_SIZE = 24;
    static final int MISC_INFO_FLAGS1 = 4;
    static final int MISC_INFO_PROCESS_ID = 8;
    static final int MISC_INFO_PROCESS_CREATE_TIME = 12;
    static final int MISC_INFO_PROCESS_USER_TIME = 16;
    static final int MISC_INFO_PROCESS_KERNEL_TIME = 20;
    static final int MISC1_PROCESS_ID = 0x1;
    static final int MISC1_PROCESS_TIMES = 0x2;

    /** The fields above that the reference table also describes, by their C names. */
    static final List<Field> CHECKED = List.of(
            new Field("MINIDUMP_HEADER", "(sizeof)", -1, HEADER_SIZE),
            new Field("MINIDUMP_HEADER", "Signature", HEADER_SIGNATURE, 4),
            new Field("MINIDUMP_HEADER", "Version", HEADER_VERSION, 4),
            new Field("MINIDUMP_HEADER", "NumberOfStreams", HEADER_NUMBER_OF_STREAMS, 4),
            new Field("MINIDUMP_HEADER", "StreamDirectoryRva", HEADER_STREAM_DIRECTORY_RVA, 4),
            new Field("MINIDUMP_HEADER", "TimeDateStamp", HEADER_TIME_DATE_STAMP, 4),
            new Field("MINIDUMP_HEADER", "Flags", HEADER_FLAGS, 8),
            new Field("MINIDUMP_DIRECTORY", "(sizeof)", -1, DIRECTORY_SIZE),
            new Field("MINIDUMP_DIRECTORY", "StreamType", DIRECTORY_STREAM_TYPE, 4),
            new Field("MINIDUMP_DIRECTORY", "Location.DataSize", DIRECTORY_DATA_SIZE, 4),
            new Field("MINIDUMP_DIRECTORY", "Location.Rva", DIRECTORY_RVA, 4),
            new Field("MINIDUMP_STRING", "Length", STRING_LENGTH, 4),
            new Field("MINIDUMP_STRING", "Buffer", STRING_BUFFER, 0),
            new Field("MINIDUMP_HANDLE_DATA_STREAM", "(sizeof)", -1, HANDLE_DATA_HEADER_SIZE),
            new Field("MINIDUMP_HANDLE_DATA_STREAM", "SizeOfHeader", HANDLE_DATA_SIZE_OF_HEADER, 4),
            new Field("MINIDUMP_HANDLE_DATA_STREAM", "SizeOfDescriptor", HANDLE_DATA_SIZE_OF_DESCRIPTOR, 4),
            new Field("MINIDUMP_HANDLE_DATA_STREAM", "NumberOfDescriptors", HANDLE_DATA_NUMBER_OF_DESCRIPTORS, 4),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR", "(sizeof)", -1, DESCRIPTOR_SIZE),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR", "Handle", DESCRIPTOR_HANDLE, 8),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR", "TypeNameRva", DESCRIPTOR_TYPE_NAME_RVA, 4),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR", "ObjectNameRva", DESCRIPTOR_OBJECT_NAME_RVA, 4),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR", "Attributes", DESCRIPTOR_ATTRIBUTES, 4),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR", "GrantedAccess", DESCRIPTOR_GRANTED_ACCESS, 4),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR", "HandleCount", DESCRIPTOR_HANDLE_COUNT, 4),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR", "PointerCount", DESCRIPTOR_POINTER_COUNT, 4),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR_2", "(sizeof)", -1, DESCRIPTOR_2_SIZE),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR_2", "Handle", DESCRIPTOR_HANDLE, 8),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR_2", "TypeNameRva", DESCRIPTOR_TYPE_NAME_RVA, 4),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR_2", "ObjectNameRva", DESCRIPTOR_OBJECT_NAME_RVA, 4),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR_2", "Attributes", DESCRIPTOR_ATTRIBUTES, 4),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR_2", "GrantedAccess", DESCRIPTOR_GRANTED_ACCESS, 4),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR_2", "HandleCount", DESCRIPTOR_HANDLE_COUNT, 4),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR_2", "PointerCount", DESCRIPTOR_POINTER_COUNT, 4),
            new Field("MINIDUMP_HANDLE_DESCRIPTOR_2", "ObjectInfoRva", DESCRIPTOR_2_OBJECT_INFO_RVA, 4),
            new Field("MINIDUMP_HANDLE_OBJECT_INFORMATION", "(sizeof)", -1, OBJECT_INFO_SIZE),
            new Field("MINIDUMP_HANDLE_OBJECT_INFORMATION", "NextInfoRva", OBJECT_INFO_NEXT_INFO_RVA, 4),
            new Field("MINIDUMP_HANDLE_OBJECT_INFORMATION", "InfoType", OBJECT_INFO_INFO_TYPE, 4),
            new Field("MINIDUMP_HANDLE_OBJECT_INFORMATION", "SizeOfInfo", OBJECT_INFO_SIZE_OF_INFO, 4),
            new Field("MINIDUMP_HANDLE_OPERATION_LIST", "(sizeof)", -1, OPERATION_LIST_HEADER_SIZE),
            new Field("MINIDUMP_HANDLE_OPERATION_LIST", "SizeOfHeader", OPERATION_LIST_SIZE_OF_HEADER, 4),
            new Field("MINIDUMP_HANDLE_OPERATION_LIST", "SizeOfEntry", OPERATION_LIST_SIZE_OF_ENTRY, 4),
            new Field("MINIDUMP_HANDLE_OPERATION_LIST", "NumberOfEntries", OPERATION_LIST_NUMBER_OF_ENTRIES, 4),
            new Field("AVRF_HANDLE_OPERATION", "(sizeof)", -1, OPERATION_SIZE),
            new Field("AVRF_HANDLE_OPERATION", "Handle", OPERATION_HANDLE, 8),
            new Field("AVRF_HANDLE_OPERATION", "ProcessId", OPERATION_PROCESS_ID, 4),
            new Field("AVRF_HANDLE_OPERATION", "ThreadId", OPERATION_THREAD_ID, 4),
            new Field("AVRF_HANDLE_OPERATION", "OperationType", OPERATION_TYPE, 4),
            new Field("AVRF_HANDLE_OPERATION", "BackTraceInformation.Depth", OPERATION_BACKTRACE_DEPTH, 4),
            new Field("AVRF_HANDLE_OPERATION", "BackTraceInformation.Index", OPERATION_BACKTRACE_INDEX, 4),
            new Field("AVRF_HANDLE_OPERATION", "BackTraceInformation.ReturnAddresses", OPERATION_RETURN_ADDRESSES, MAX_TRACES * 8));
}
