package dev.jhtrace.perf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Java methods a live HotSpot JVM's interpreter runs, named from the JVM's memory. The perf map names all interpreted
 * code {@code Interpreter} (one blob of templates), but each interpreted frame holds the {@code Method*} it runs at a
 * fixed slot below its frame pointer, and the method's class, name and signature are symbols the method leads to.
 *
 * <p>Where those lie is not guessed per JDK release: libjvm.so exports tables describing its own structures
 * ({@code gHotSpotVMStructs}, {@code gHotSpotVMTypes}, {@code gHotSpotVMIntConstants}: what the serviceability agent
 * and async-profiler read). They and the methods are read through {@code /proc/PID/mem}: nothing is written to the
 * target and nothing stops it. A value read while the JVM changes it (a class unloaded) is checked before it is
 * believed: a name that does not read as a method's is no name.
 */
final class HotSpotMethods implements AutoCloseable {
    private static final String STRUCTS = "gHotSpotVMStructs", TYPES = "gHotSpotVMTypes", INT_CONSTANTS = "gHotSpotVMIntConstants";
    private static final String STRUCT_STRIDE = "gHotSpotVMStructEntryArrayStride", STRUCT_TYPE = "gHotSpotVMStructEntryTypeNameOffset",
            STRUCT_FIELD = "gHotSpotVMStructEntryFieldNameOffset", STRUCT_OFFSET = "gHotSpotVMStructEntryOffsetOffset";
    private static final String TYPE_STRIDE = "gHotSpotVMTypeEntryArrayStride", TYPE_NAME = "gHotSpotVMTypeEntryTypeNameOffset",
            TYPE_SIZE = "gHotSpotVMTypeEntrySizeOffset";
    private static final String INT_STRIDE = "gHotSpotVMIntConstantEntryArrayStride", INT_NAME = "gHotSpotVMIntConstantEntryNameOffset",
            INT_VALUE = "gHotSpotVMIntConstantEntryValueOffset";
    private static final Set<String> SYMBOLS = Set.of(STRUCTS, TYPES, INT_CONSTANTS, STRUCT_STRIDE, STRUCT_TYPE, STRUCT_FIELD, STRUCT_OFFSET,
            TYPE_STRIDE, TYPE_NAME, TYPE_SIZE, INT_STRIDE, INT_NAME, INT_VALUE);
    private static final int MAX_ENTRIES = 10_000; // the tables end with a null name; JDK 17's has 788 fields
    private static final int MAX_NAME_BYTES = 256;

    private final FileChannel memory;
    private final Layout layout;
    private final Map<Long, Optional<String>> names = new HashMap<>();

    /** Where the fields read lie in the JVM's structures, in bytes, as the JVM describes them. */
    private record Layout(long methodConstMethod, long constMethodConstants, long constMethodNameIndex, long constMethodSignatureIndex,
                          long poolHolder, long poolLength, long poolSize, long klassName, long symbolLength, long symbolBody,
                          int methodSlot) {
    }

    private HotSpotMethods(FileChannel memory, Layout layout) {
        this.memory = memory;
        this.layout = layout;
    }

    /** The methods of process {@code pid}, or empty when it is no HotSpot JVM or its memory cannot be read. */
    static Optional<HotSpotMethods> of(int pid) {
        Path jvm = null;
        String range = null;
        long base = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "maps"))) {
                // start-end perms offset dev inode path: the library's mapping at file offset 0 is where its first page lies
                String[] f = line.split("\\s+", 6);
                if (f.length == 6 && f[5].endsWith("/libjvm.so") && Long.parseLong(f[2], 16) == 0) {
                    jvm = Path.of(f[5]);
                    range = f[0];
                    base = Long.parseUnsignedLong(f[0].substring(0, f[0].indexOf('-')), 16);
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (jvm == null) return Optional.empty();
        // the library as this process mapped it: its path may name another file here (a JDK upgraded in place since, a
        // container's own file system); map_files is root's only, the path the fallback
        Path mapped = Path.of("/proc", Integer.toString(pid), "map_files", range);
        Map<String, Long> symbols = ElfFile.dynamicSymbolOffsets(Files.isReadable(mapped) ? mapped : jvm, SYMBOLS);
        if (symbols.size() != SYMBOLS.size()) return Optional.empty();
        FileChannel memory = null;
        try {
            memory = FileChannel.open(Path.of("/proc", Integer.toString(pid), "mem"), StandardOpenOption.READ);
            Layout layout = layout(new Reader(memory), base, symbols);
            if (layout == null) {
                memory.close();
                return Optional.empty();
            }
            return Optional.of(new HotSpotMethods(memory, layout));
        } catch (IOException | RuntimeException e) {
            try {
                if (memory != null) memory.close();
            } catch (IOException ignored) {
                // nothing was read from it
            }
            return Optional.empty();
        }
    }

    /**
     * Bytes from an interpreted frame's frame pointer to the slot holding its {@code Method*} (negative: below it). The
     * JVM exports the slot before it, {@code interpreter_frame_last_sp_offset}, in words; the method's is the next one
     * down ({@code frame_x86.hpp}: {@code interpreter_frame_method_offset = interpreter_frame_last_sp_offset - 1}).
     */
    int methodSlot() {
        return layout.methodSlot();
    }

    /**
     * {@code method}'s name as the JVM's perf map writes a compiled method's, without the return type:
     * {@code java.io.FileInputStream.open(java.lang.String)}; null when {@code method} does not read as a method.
     */
    String name(long method) {
        return names.computeIfAbsent(method, m -> Optional.ofNullable(read(m))).orElse(null);
    }

    private String read(long method) {
        try {
            Reader r = new Reader(memory);
            if (!aligned(method)) return null;
            long constMethod = r.u64(method + layout.methodConstMethod());
            if (!aligned(constMethod)) return null;
            long pool = r.u64(constMethod + layout.constMethodConstants());
            if (!aligned(pool)) return null;
            int length = r.i32(pool + layout.poolLength());
            String name = poolSymbol(r, pool, length, r.u16(constMethod + layout.constMethodNameIndex()));
            String signature = poolSymbol(r, pool, length, r.u16(constMethod + layout.constMethodSignatureIndex()));
            long holder = r.u64(pool + layout.poolHolder());
            String type = aligned(holder) ? symbol(r, r.u64(holder + layout.klassName())) : null;
            if (name == null || signature == null || type == null || !signature.startsWith("(")) return null;
            String parameters = JavaSignature.parameters(signature);
            if (parameters == null || !plausibleName(name) || !plausibleName(type)) return null;
            return type.replace('/', '.') + "." + name + "(" + parameters + ")";
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The symbol at {@code index} of a constant pool of {@code length} entries; they follow the pool's header. */
    private String poolSymbol(Reader r, long pool, int length, int index) throws IOException {
        if (index <= 0 || index >= length) return null;
        return symbol(r, r.u64(pool + layout.poolSize() + 8L * index));
    }

    private String symbol(Reader r, long symbol) throws IOException {
        if (!aligned(symbol)) return null;
        int length = r.u16(symbol + layout.symbolLength());
        if (length == 0 || length > MAX_NAME_BYTES * 4) return null;
        byte[] bytes = r.bytes(symbol + layout.symbolBody(), length);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8); // modified UTF-8: the same for names
    }

    private static boolean plausibleName(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i)) || s.charAt(i) == '\uFFFD') return false;
        }
        return true;
    }

    private static boolean aligned(long address) {
        return address != 0 && (address & 7) == 0;
    }

    /** The fields this reads, from the JVM's tables; null when one is missing. */
    private static Layout layout(Reader r, long base, Map<String, Long> symbols) throws IOException {
        Map<String, Long> fields = new HashMap<>();
        Map<String, Long> sizes = new HashMap<>();
        Map<String, Long> ints = new HashMap<>();
        long structs = r.u64(base + symbols.get(STRUCTS));
        long stride = r.u64(base + symbols.get(STRUCT_STRIDE));
        long typeAt = r.u64(base + symbols.get(STRUCT_TYPE)), fieldAt = r.u64(base + symbols.get(STRUCT_FIELD)),
                offsetAt = r.u64(base + symbols.get(STRUCT_OFFSET));
        for (int i = 0; i < MAX_ENTRIES && stride > 0; i++) {
            long entry = structs + i * stride;
            String type = r.cString(r.u64(entry + typeAt));
            if (type == null) break;
            String field = r.cString(r.u64(entry + fieldAt));
            if (field != null) fields.put(type + "::" + field, r.u64(entry + offsetAt));
        }
        long types = r.u64(base + symbols.get(TYPES));
        stride = r.u64(base + symbols.get(TYPE_STRIDE));
        long nameAt = r.u64(base + symbols.get(TYPE_NAME)), sizeAt = r.u64(base + symbols.get(TYPE_SIZE));
        for (int i = 0; i < MAX_ENTRIES && stride > 0; i++) {
            long entry = types + i * stride;
            String type = r.cString(r.u64(entry + nameAt));
            if (type == null) break;
            sizes.put(type, r.u64(entry + sizeAt));
        }
        long constants = r.u64(base + symbols.get(INT_CONSTANTS));
        stride = r.u64(base + symbols.get(INT_STRIDE));
        nameAt = r.u64(base + symbols.get(INT_NAME));
        long valueAt = r.u64(base + symbols.get(INT_VALUE));
        for (int i = 0; i < MAX_ENTRIES && stride > 0; i++) {
            long entry = constants + i * stride;
            String name = r.cString(r.u64(entry + nameAt));
            if (name == null) break;
            ints.put(name, (long) r.i32(entry + valueAt));
        }
        List<String> wanted = List.of("Method::_constMethod", "ConstMethod::_constants", "ConstMethod::_name_index", "ConstMethod::_signature_index",
                "ConstantPool::_pool_holder", "ConstantPool::_length", "Klass::_name", "Symbol::_length", "Symbol::_body");
        if (!fields.keySet().containsAll(wanted) || !sizes.containsKey("ConstantPool") || !ints.containsKey("frame::interpreter_frame_last_sp_offset")) {
            return null;
        }
        return new Layout(fields.get(wanted.get(0)), fields.get(wanted.get(1)), fields.get(wanted.get(2)), fields.get(wanted.get(3)),
                fields.get(wanted.get(4)), fields.get(wanted.get(5)), sizes.get("ConstantPool"), fields.get(wanted.get(6)),
                fields.get(wanted.get(7)), fields.get(wanted.get(8)),
                (int) (ints.get("frame::interpreter_frame_last_sp_offset") - 1) * 8);
    }

    @Override
    public void close() {
        try {
            memory.close();
        } catch (IOException ignored) {
            // a read-only file: nothing lost
        }
    }

    /** Reads of the target's memory at its addresses. */
    private record Reader(FileChannel memory) {
        byte[] bytes(long address, int length) throws IOException {
            if (address <= 0) return null; // also the upper half: the kernel's, never user data
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining()) {
                if (memory.read(b, address + b.position()) <= 0) return null;
            }
            return b.array();
        }

        long u64(long address) throws IOException {
            byte[] b = bytes(address, 8);
            return b == null ? 0 : ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }

        int i32(long address) throws IOException {
            byte[] b = bytes(address, 4);
            return b == null ? 0 : ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }

        int u16(long address) throws IOException {
            byte[] b = bytes(address, 2);
            return b == null ? 0 : Short.toUnsignedInt(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort());
        }

        /** The NUL-terminated string at {@code address}; null for a null pointer or an unreadable one. */
        String cString(long address) throws IOException {
            if (address == 0) return null;
            StringBuilder s = new StringBuilder();
            for (long at = address; s.length() < MAX_NAME_BYTES; ) {
                int length = (int) (64 - (at & 63)); // never across a 64-byte boundary, so never past a mapping's end
                byte[] chunk = bytes(at, length);
                if (chunk == null) return null;
                for (byte c : chunk) {
                    if (c == 0) return s.toString();
                    s.append((char) (c & 0xff));
                }
                at += length;
            }
            return null;
        }
    }
}
