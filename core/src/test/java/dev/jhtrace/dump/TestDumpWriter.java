package dev.jhtrace.dump;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes minidumps from the documented layouts (the constants in {@link Layout}, themselves checked
 * against the SDK table), for the streams no public real dump has: object names, ObjectInfo chains
 * and the handle operation list. Layout of the output: header, directory, a heap of strings and
 * ObjectInfo records, then the streams.
 */
final class TestDumpWriter {
    record Handle(long value, String type, String name, long attributes, long access, long handleCount, long pointerCount,
                  List<ObjectInfo> info) {
    }

    record Operation(long handle, int pid, int tid, int type, long[] stack) {
    }

    record Module(long base, long size, String path) {
    }

    private final List<Handle> handles = new ArrayList<>();
    private final List<Operation> operations = new ArrayList<>();
    private final List<Module> modules = new ArrayList<>();
    private int descriptorSize = Layout.DESCRIPTOR_2_SIZE;
    private boolean handleStream = true;
    private Integer pid;
    private long timeDateStamp = 1_700_000_000L;
    private int unusedStreams;
    private final Map<String, Integer> stringRvas = new HashMap<>();

    TestDumpWriter descriptorSize(int size) {
        this.descriptorSize = size;
        return this;
    }

    TestDumpWriter withoutHandleData() {
        this.handleStream = false;
        return this;
    }

    TestDumpWriter pid(int pid) {
        this.pid = pid;
        return this;
    }

    TestDumpWriter unusedStreams(int count) {
        this.unusedStreams = count;
        return this;
    }

    TestDumpWriter module(long base, long size, String path) {
        modules.add(new Module(base, size, path));
        return this;
    }

    TestDumpWriter handle(long value, String type, String name, long access, ObjectInfo... info) {
        handles.add(new Handle(value, type, name, 0, access, 1, 2, List.of(info)));
        return this;
    }

    TestDumpWriter handle(Handle h) {
        handles.add(h);
        return this;
    }

    /** Adds an operation; call in the order the stream lists them (newest first for dbghelp). */
    TestDumpWriter operation(long handle, int tid, int type, long... stack) {
        operations.add(new Operation(handle, pid == null ? 4242 : pid, tid, type, stack));
        return this;
    }

    byte[] build() {
        List<int[]> streams = new ArrayList<>(); // {type, size, rva}
        int streamCount = 2 + (modules.isEmpty() ? 0 : 1) + (handleStream ? 1 : 0) + (operations.isEmpty() ? 0 : 1) + unusedStreams;
        Out out = new Out();
        out.zeros(Layout.HEADER_SIZE + streamCount * Layout.DIRECTORY_SIZE);

        // heap: strings (each distinct string once) and ObjectInfo chains
        Map<String, Integer> strings = stringRvas;
        strings.clear();
        int csd = out.string(strings, "Service Pack 9");
        for (Module m : modules) out.string(strings, m.path());
        int[] infoRva = new int[handles.size()];
        for (int i = 0; i < handles.size(); i++) {
            Handle h = handles.get(i);
            if (h.type() != null) out.string(strings, h.type());
            if (h.name() != null) out.string(strings, h.name());
            int next = 0;
            for (int j = h.info().size() - 1; j >= 0; j--) { // last record first, so each knows its successor
                ObjectInfo info = h.info().get(j);
                out.align4();
                int at = out.size();
                out.u32(next).u32(info.infoType()).u32(info.data().length).bytes(info.data());
                next = at;
            }
            infoRva[i] = next;
        }

        out.align4();
        int at = out.size(); // SystemInfo: x64, 8 processors, workstation, 10.0.22631
        out.u16(9).u16(6).u16(0).u8(8).u8(1).u32(10).u32(0).u32(22631).u32(2).u32(csd).u16(0).u16(0).zeros(24);
        streams.add(new int[] {StreamEntry.SYSTEM_INFO, out.size() - at, at});

        at = out.size(); // MiscInfo
        out.u32(Layout.MISC_INFO_SIZE).u32(pid == null ? 0 : Layout.MISC1_PROCESS_ID | Layout.MISC1_PROCESS_TIMES)
                .u32(pid == null ? 0 : pid).u32(1_699_999_000).u32(3).u32(1);
        streams.add(new int[] {StreamEntry.MISC_INFO, out.size() - at, at});

        if (!modules.isEmpty()) {
            at = out.size();
            out.u32(modules.size());
            for (Module m : modules) {
                out.u64(m.base()).u32((int) m.size()).u32(0).u32(0x5f000000).u32(strings.get(m.path())).zeros(Layout.MODULE_SIZE - 24);
            }
            streams.add(new int[] {StreamEntry.MODULE_LIST, out.size() - at, at});
        }
        if (handleStream) {
            at = out.size();
            out.u32(Layout.HANDLE_DATA_HEADER_SIZE).u32(descriptorSize).u32(handles.size()).u32(0);
            for (int i = 0; i < handles.size(); i++) {
                Handle h = handles.get(i);
                out.u64(h.value()).u32(h.type() == null ? 0 : strings.get(h.type())).u32(h.name() == null ? 0 : strings.get(h.name()))
                        .u32((int) h.attributes()).u32((int) h.access()).u32((int) h.handleCount()).u32((int) h.pointerCount());
                if (descriptorSize >= Layout.DESCRIPTOR_2_SIZE) out.u32(infoRva[i]).u32(0).zeros(descriptorSize - Layout.DESCRIPTOR_2_SIZE);
            }
            streams.add(new int[] {StreamEntry.HANDLE_DATA, out.size() - at, at});
        }
        if (!operations.isEmpty()) {
            at = out.size();
            out.u32(Layout.OPERATION_LIST_HEADER_SIZE).u32(Layout.OPERATION_SIZE).u32(operations.size()).u32(0);
            for (Operation op : operations) {
                out.u64(op.handle()).u32(op.pid()).u32(op.tid()).u32(op.type()).u32(0).u32(op.stack().length).u32(7);
                for (int f = 0; f < Layout.MAX_TRACES; f++) out.u64(f < op.stack().length ? op.stack()[f] : 0);
            }
            streams.add(new int[] {StreamEntry.HANDLE_OPERATION_LIST, out.size() - at, at});
        }
        for (int i = 0; i < unusedStreams; i++) streams.add(new int[] {0, 0, 0});

        ByteBuffer b = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, Layout.SIGNATURE).putInt(4, 0xA061A793).putInt(8, streamCount).putInt(12, Layout.HEADER_SIZE)
                .putInt(20, (int) timeDateStamp).putLong(24, 0x4);
        for (int i = 0; i < streams.size(); i++) {
            int d = Layout.HEADER_SIZE + i * Layout.DIRECTORY_SIZE;
            b.putInt(d, streams.get(i)[0]).putInt(d + 4, streams.get(i)[1]).putInt(d + 8, streams.get(i)[2]);
        }
        return b.array();
    }

    /** Where {@link #build()} put each distinct string (its MINIDUMP_STRING RVA). */
    int stringRva(String s) {
        return stringRvas.get(s);
    }

    /** A little-endian output buffer. */
    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int size() {
            return bytes.size();
        }

        Out u8(int v) {
            bytes.write(v);
            return this;
        }

        Out u16(int v) {
            return u8(v).u8(v >>> 8);
        }

        Out u32(int v) {
            return u16(v).u16(v >>> 16);
        }

        Out u64(long v) {
            return u32((int) v).u32((int) (v >>> 32));
        }

        Out bytes(byte[] b) {
            bytes.writeBytes(b);
            return this;
        }

        Out zeros(int n) {
            return bytes(new byte[n]);
        }

        void align4() {
            while (size() % 4 != 0) u8(0);
        }

        int string(Map<String, Integer> known, String s) {
            Integer rva = known.get(s);
            if (rva != null) return rva;
            align4();
            int at = size();
            byte[] utf16 = s.getBytes(StandardCharsets.UTF_16LE);
            u32(utf16.length).bytes(utf16).u16(0); // writers add a terminator not counted in Length
            known.put(s, at);
            return at;
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }

    /** Little-endian patching of a built dump, for the hostile-input tests. */
    static void putU32(byte[] dump, long offset, long value) {
        ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN).putInt((int) offset, (int) value);
    }

    static long getU32(byte[] dump, long offset) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(dump).order(ByteOrder.LITTLE_ENDIAN).getInt((int) offset));
    }
}
