package dev.jhtrace.dump;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes a minidump from {@link DumpBytes}. Hostile input meets a check before every read and every
 * allocation: counts are held against the bytes their stream really has, RVAs against the file, and
 * the strings and ObjectInfo records reached through RVAs together against a budget of twice the file
 * size, so memory and work stay proportional to the file whatever the counts and RVAs claim (a hostile
 * file can point many descriptors at overlapping records). Not thread-safe; one per read.
 */
final class MinidumpReader {
    /** Longest ObjectInfo chain accepted; Windows writes at most two records per handle. */
    static final int MAX_OBJECT_INFO_CHAIN = 64;
    /** Longest string accepted, in bytes: the most a UNICODE_STRING (where every name comes from) can hold. */
    static final int MAX_STRING_BYTES = 0xFFFE;
    /** Largest descriptor or entry size accepted (today's are 32/40 and 288 bytes). */
    static final int MAX_RECORD_SIZE = 4096;

    private final DumpBytes bytes;
    private final Map<Long, String> strings = new HashMap<>();
    private final Map<Long, List<ObjectInfo>> chains = new HashMap<>();
    private final Map<Stack, List<Long>> stacks = new HashMap<>();
    private long budgetBytes;

    MinidumpReader(DumpBytes bytes) {
        this.bytes = bytes;
        this.budgetBytes = 2 * bytes.size() + 65536;
    }

    Minidump read() {
        if (bytes.size() < Layout.HEADER_SIZE) throw bytes.bad("the file has " + bytes.size() + " bytes, fewer than a minidump header");
        ByteBuffer h = bytes.slice(0, Layout.HEADER_SIZE, "header");
        int signature = h.getInt(Layout.HEADER_SIGNATURE);
        if (signature != Layout.SIGNATURE) {
            throw bytes.bad("wrong signature 0x" + Integer.toHexString(signature) + " (a minidump starts with MDMP)");
        }
        int version = h.getInt(Layout.HEADER_VERSION);
        if ((version & 0xFFFF) != Layout.VERSION) {
            throw bytes.bad("unknown format version 0x" + Integer.toHexString(version & 0xFFFF) + " (expected 0xa793)");
        }
        MinidumpHeader header = new MinidumpHeader(version & 0xFFFF, version >>> 16, u32(h, Layout.HEADER_NUMBER_OF_STREAMS),
                u32(h, Layout.HEADER_STREAM_DIRECTORY_RVA), u32(h, Layout.HEADER_TIME_DATE_STAMP), h.getLong(Layout.HEADER_FLAGS));

        List<StreamEntry> directory = directory(header);
        Map<Long, StreamEntry> first = new HashMap<>();
        for (StreamEntry e : directory) first.putIfAbsent(e.streamType(), e);

        StreamEntry s;
        SystemInfo systemInfo = (s = first.get((long) StreamEntry.SYSTEM_INFO)) == null ? null : systemInfo(s);
        MiscInfo miscInfo = (s = first.get((long) StreamEntry.MISC_INFO)) == null ? null : miscInfo(s);
        List<ModuleInfo> modules = (s = first.get((long) StreamEntry.MODULE_LIST)) == null ? List.of() : modules(s);
        List<HandleDescriptor> handles = (s = first.get((long) StreamEntry.HANDLE_DATA)) == null ? null : handles(s);
        List<HandleOperation> operations = (s = first.get((long) StreamEntry.HANDLE_OPERATION_LIST)) == null ? null : operations(s);
        return new Minidump(bytes.label(), bytes.size(), header, directory, systemInfo, miscInfo, modules, handles, operations);
    }

    private List<StreamEntry> directory(MinidumpHeader header) {
        long count = header.numberOfStreams();
        long length = count * Layout.DIRECTORY_SIZE;
        bytes.check(header.streamDirectoryRva(), length, "stream directory of " + count + " streams");
        ByteBuffer d = bytes.slice(header.streamDirectoryRva(), length, "stream directory");
        List<StreamEntry> list = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int at = i * Layout.DIRECTORY_SIZE;
            list.add(new StreamEntry(u32(d, at + Layout.DIRECTORY_STREAM_TYPE), u32(d, at + Layout.DIRECTORY_DATA_SIZE),
                    u32(d, at + Layout.DIRECTORY_RVA)));
        }
        return list;
    }

    /** The whole stream, after checking it lies in the file and holds at least {@code minimum} bytes. */
    private ByteBuffer stream(StreamEntry s, long minimum, String name) {
        if (s.dataSize() < minimum) throw bytes.bad(name + " stream has " + s.dataSize() + " bytes, fewer than its " + minimum + "-byte header");
        return bytes.slice(s.rva(), s.dataSize(), name + " stream");
    }

    private SystemInfo systemInfo(StreamEntry s) {
        ByteBuffer b = stream(s, Layout.SYSTEM_INFO_SIZE, "SystemInfo");
        long csdRva = u32(b, Layout.SYSTEM_INFO_CSD_VERSION_RVA);
        return new SystemInfo(Short.toUnsignedInt(b.getShort(Layout.SYSTEM_INFO_PROCESSOR_ARCHITECTURE)),
                Byte.toUnsignedInt(b.get(Layout.SYSTEM_INFO_NUMBER_OF_PROCESSORS)),
                Byte.toUnsignedInt(b.get(Layout.SYSTEM_INFO_PRODUCT_TYPE)),
                u32(b, Layout.SYSTEM_INFO_MAJOR_VERSION), u32(b, Layout.SYSTEM_INFO_MINOR_VERSION),
                u32(b, Layout.SYSTEM_INFO_BUILD_NUMBER), u32(b, Layout.SYSTEM_INFO_PLATFORM_ID),
                csdRva == 0 ? null : string(csdRva, "CSD version string"));
    }

    private MiscInfo miscInfo(StreamEntry s) {
        // Only the first 24 bytes (MINIDUMP_MISC_INFO) are used; later MISC_INFO_n versions only append.
        ByteBuffer b = stream(s, Layout.MISC_INFO_SIZE, "MiscInfo");
        long flags = u32(b, Layout.MISC_INFO_FLAGS1);
        boolean pid = (flags & Layout.MISC1_PROCESS_ID) != 0;
        boolean times = (flags & Layout.MISC1_PROCESS_TIMES) != 0;
        return new MiscInfo(flags,
                pid ? b.getInt(Layout.MISC_INFO_PROCESS_ID) : null,
                times ? Instant.ofEpochSecond(u32(b, Layout.MISC_INFO_PROCESS_CREATE_TIME)) : null,
                times ? Duration.ofSeconds(u32(b, Layout.MISC_INFO_PROCESS_USER_TIME)) : null,
                times ? Duration.ofSeconds(u32(b, Layout.MISC_INFO_PROCESS_KERNEL_TIME)) : null);
    }

    private List<ModuleInfo> modules(StreamEntry s) {
        ByteBuffer b = stream(s, Layout.MODULE_LIST_COUNT_SIZE, "ModuleList");
        long count = u32(b, 0);
        checkCount(count, Layout.MODULE_SIZE, s.dataSize() - Layout.MODULE_LIST_COUNT_SIZE, "ModuleList", "modules");
        List<ModuleInfo> list = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int at = Layout.MODULE_LIST_COUNT_SIZE + i * Layout.MODULE_SIZE;
            long nameRva = u32(b, at + Layout.MODULE_NAME_RVA);
            list.add(new ModuleInfo(b.getLong(at + Layout.MODULE_BASE_OF_IMAGE), u32(b, at + Layout.MODULE_SIZE_OF_IMAGE),
                    nameRva == 0 ? "" : string(nameRva, "name of module " + i),
                    u32(b, at + Layout.MODULE_TIME_DATE_STAMP), u32(b, at + Layout.MODULE_CHECKSUM)));
        }
        return list;
    }

    private List<HandleDescriptor> handles(StreamEntry s) {
        ByteBuffer b = stream(s, Layout.HANDLE_DATA_HEADER_SIZE, "HandleData");
        long headerSize = u32(b, Layout.HANDLE_DATA_SIZE_OF_HEADER);
        long descriptorSize = u32(b, Layout.HANDLE_DATA_SIZE_OF_DESCRIPTOR);
        long count = u32(b, Layout.HANDLE_DATA_NUMBER_OF_DESCRIPTORS);
        if (headerSize < Layout.HANDLE_DATA_HEADER_SIZE || headerSize > s.dataSize()) {
            throw bytes.bad("HandleData SizeOfHeader " + headerSize + " does not fit its " + s.dataSize() + "-byte stream");
        }
        boolean withInfo = descriptorSize >= Layout.DESCRIPTOR_2_SIZE;
        if (descriptorSize != Layout.DESCRIPTOR_SIZE && !withInfo || descriptorSize > MAX_RECORD_SIZE) {
            throw bytes.bad("HandleData SizeOfDescriptor " + descriptorSize + " is neither 32 (MINIDUMP_HANDLE_DESCRIPTOR) nor 40 (_2)");
        }
        checkCount(count, descriptorSize, s.dataSize() - headerSize, "HandleData", "descriptors");
        List<HandleDescriptor> list = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int at = (int) (headerSize + i * descriptorSize);
            long typeRva = u32(b, at + Layout.DESCRIPTOR_TYPE_NAME_RVA);
            long nameRva = u32(b, at + Layout.DESCRIPTOR_OBJECT_NAME_RVA);
            List<ObjectInfo> info = withInfo ? objectInfo(u32(b, at + Layout.DESCRIPTOR_2_OBJECT_INFO_RVA), i) : List.of();
            list.add(new HandleDescriptor(b.getLong(at + Layout.DESCRIPTOR_HANDLE),
                    typeRva == 0 ? null : string(typeRva, "type name of handle descriptor " + i),
                    nameRva == 0 ? null : string(nameRva, "object name of handle descriptor " + i),
                    u32(b, at + Layout.DESCRIPTOR_ATTRIBUTES), u32(b, at + Layout.DESCRIPTOR_GRANTED_ACCESS),
                    u32(b, at + Layout.DESCRIPTOR_HANDLE_COUNT), u32(b, at + Layout.DESCRIPTOR_POINTER_COUNT), info));
        }
        return list;
    }

    private List<ObjectInfo> objectInfo(long head, int descriptor) {
        if (head == 0) return List.of();
        List<ObjectInfo> known = chains.get(head);
        if (known != null) return known;
        List<ObjectInfo> chain = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (long rva = head; rva != 0; ) {
            if (!seen.add(rva)) {
                throw bytes.bad("the ObjectInfo chain of handle descriptor " + descriptor + " loops back to 0x" + Long.toHexString(rva));
            }
            if (chain.size() == MAX_OBJECT_INFO_CHAIN) {
                throw bytes.bad("the ObjectInfo chain of handle descriptor " + descriptor + " is longer than " + MAX_OBJECT_INFO_CHAIN + " records");
            }
            ByteBuffer r = bytes.slice(rva, Layout.OBJECT_INFO_SIZE, "ObjectInfo record of handle descriptor " + descriptor);
            long size = u32(r, Layout.OBJECT_INFO_SIZE_OF_INFO);
            String what = "ObjectInfo data of handle descriptor " + descriptor;
            bytes.check(rva + Layout.OBJECT_INFO_SIZE, size, what);
            spend(Layout.OBJECT_INFO_SIZE + size, "ObjectInfo records"); // the header too, so empty records also cost
            ByteBuffer data = bytes.slice(rva + Layout.OBJECT_INFO_SIZE, size, what);
            byte[] copy = new byte[(int) size];
            data.get(copy);
            chain.add(new ObjectInfo(r.getInt(Layout.OBJECT_INFO_INFO_TYPE), copy));
            rva = u32(r, Layout.OBJECT_INFO_NEXT_INFO_RVA);
        }
        List<ObjectInfo> result = List.copyOf(chain);
        chains.put(head, result);
        return result;
    }

    private List<HandleOperation> operations(StreamEntry s) {
        ByteBuffer b = stream(s, Layout.OPERATION_LIST_HEADER_SIZE, "HandleOperationList");
        long headerSize = u32(b, Layout.OPERATION_LIST_SIZE_OF_HEADER);
        long entrySize = u32(b, Layout.OPERATION_LIST_SIZE_OF_ENTRY);
        long count = u32(b, Layout.OPERATION_LIST_NUMBER_OF_ENTRIES);
        if (headerSize < Layout.OPERATION_LIST_HEADER_SIZE || headerSize > s.dataSize()) {
            throw bytes.bad("HandleOperationList SizeOfHeader " + headerSize + " does not fit its " + s.dataSize() + "-byte stream");
        }
        if (entrySize < Layout.OPERATION_SIZE || entrySize > MAX_RECORD_SIZE) {
            throw bytes.bad("HandleOperationList SizeOfEntry " + entrySize + " is not the 288 bytes of an AVRF_HANDLE_OPERATION");
        }
        checkCount(count, entrySize, s.dataSize() - headerSize, "HandleOperationList", "entries");
        List<HandleOperation> list = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int at = (int) (headerSize + i * entrySize);
            int type = b.getInt(at + Layout.OPERATION_TYPE);
            if (type < HandleOperation.OPEN || type > HandleOperation.BADREF) {
                throw bytes.bad("handle operation " + i + " has OperationType " + Integer.toUnsignedString(type) + " (expected 1 OPEN, 2 CLOSE or 3 BADREF)");
            }
            long depth = u32(b, at + Layout.OPERATION_BACKTRACE_DEPTH);
            if (depth > Layout.MAX_TRACES) {
                throw bytes.bad("handle operation " + i + " claims a " + depth + "-frame stack; at most " + Layout.MAX_TRACES + " are recorded");
            }
            long[] addresses = new long[(int) depth];
            for (int f = 0; f < depth; f++) addresses[f] = b.getLong(at + Layout.OPERATION_RETURN_ADDRESSES + 8 * f);
            // a trace holds few distinct stacks: keep one list per stack
            List<Long> stack = stacks.computeIfAbsent(new Stack(addresses),
                    k -> List.of(Arrays.stream(k.addresses()).boxed().toArray(Long[]::new)));
            list.add(new HandleOperation(b.getLong(at + Layout.OPERATION_HANDLE), b.getInt(at + Layout.OPERATION_PROCESS_ID),
                    b.getInt(at + Layout.OPERATION_THREAD_ID), type, u32(b, at + Layout.OPERATION_BACKTRACE_INDEX), stack));
        }
        return list;
    }

    /** A MINIDUMP_STRING; each distinct RVA is decoded once and charged to the budget once. */
    private String string(long rva, String what) {
        String known = strings.get(rva);
        if (known != null) return known;
        long length = bytes.u32(rva + Layout.STRING_LENGTH, what);
        if (length > MAX_STRING_BYTES) throw bytes.bad(what + " at 0x" + Long.toHexString(rva) + " claims " + length + " bytes; names are at most " + MAX_STRING_BYTES);
        bytes.check(rva + Layout.STRING_BUFFER, length, what);
        spend(Layout.STRING_BUFFER + length, "strings");
        ByteBuffer b = bytes.slice(rva + Layout.STRING_BUFFER, length, what);
        byte[] raw = new byte[(int) length];
        b.get(raw);
        String value = new String(raw, StandardCharsets.UTF_16LE);
        strings.put(rva, value);
        return value;
    }

    /** Return addresses compared by content, as a map key. */
    private record Stack(long[] addresses) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Stack other && Arrays.equals(addresses, other.addresses);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(addresses);
        }
    }

    private void checkCount(long count, long recordSize, long available, String stream, String what) {
        if (count * recordSize > available) {
            throw bytes.bad(stream + " claims " + count + " " + what + " of " + recordSize + " bytes but the stream holds only " + Math.max(0, available) + " bytes for them");
        }
    }

    private void spend(long size, String what) {
        budgetBytes -= size;
        if (budgetBytes < 0) throw bytes.bad("the " + what + " referenced add up to more than the file holds (overlapping records)");
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }
}
