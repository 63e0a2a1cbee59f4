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
            STRUCT_FIELD = "gHotSpotVMStructEntryFieldNameOffset", STRUCT_OFFSET = "gHotSpotVMStructEntryOffsetOffset",
            STRUCT_ADDRESS = "gHotSpotVMStructEntryAddressOffset";
    private static final String TYPE_STRIDE = "gHotSpotVMTypeEntryArrayStride", TYPE_NAME = "gHotSpotVMTypeEntryTypeNameOffset",
            TYPE_SIZE = "gHotSpotVMTypeEntrySizeOffset";
    private static final String INT_STRIDE = "gHotSpotVMIntConstantEntryArrayStride", INT_NAME = "gHotSpotVMIntConstantEntryNameOffset",
            INT_VALUE = "gHotSpotVMIntConstantEntryValueOffset";
    private static final Set<String> SYMBOLS = Set.of(STRUCTS, TYPES, INT_CONSTANTS, STRUCT_STRIDE, STRUCT_TYPE, STRUCT_FIELD, STRUCT_OFFSET, STRUCT_ADDRESS,
            TYPE_STRIDE, TYPE_NAME, TYPE_SIZE, INT_STRIDE, INT_NAME, INT_VALUE);
    private static final int MAX_ENTRIES = 10_000; // the tables end with a null name; JDK 17's has 788 fields
    private static final int MAX_NAME_BYTES = 256;
    /**
     * The newest JDK whose line tables this reads: their encoding ({@code CompressedLineNumberReadStream}: a byte
     * {@code bci_delta << 3 | line_delta}, or 0xFF and two signed UNSIGNED5 numbers) is not in the JVM's tables, and it is
     * the same from JDK 6 to 18 (the serviceability agent's reader); a newer JVM's frames get no line.
     */
    private static final int NEWEST_KNOWN_LINE_TABLES = 18;
    private static final int BCP_BELOW_METHOD = 5 * 8; // frame_x86.hpp, JDK 9 on: method, mirror, mdp, cache, locals, bcp
    private static final int OLDEST_KNOWN_BYTECODE_SLOT = 9; // JDK 8's frames have no mirror slot: their bcp is a word higher
    private static final int MAX_LINE_TABLE_BYTES = 1 << 16;

    private final FileChannel memory;
    private final Reader target; // the JVM's memory
    private final Layout layout;
    private final Map<Long, Optional<String>> names = new HashMap<>();
    private final Map<Long, Optional<String>> sourceFiles = new HashMap<>();

    /** Where the fields read lie in the JVM's structures, in bytes, as the JVM describes them. */
    private record Layout(long methodConstMethod, long constMethodConstants, long constMethodNameIndex, long constMethodSignatureIndex,
                          long poolHolder, long poolLength, long poolSize, long klassName, long symbolLength, long symbolBody,
                          int methodSlot, Lines lines) {
    }

    /**
     * Where a method's line table lies, when the JVM's tables tell it and its encoding is known (else null).
     *
     * @param constMethodSize  bytes of a ConstMethod, after which its byte codes begin
     * @param codeSize         offset of {@code ConstMethod::_code_size} (u2); the line table follows the byte codes
     * @param flags            offset of {@code ConstMethod::_flags} (u2)
     * @param hasLineTable     the flag saying the method has a line table
     * @param poolSourceFile   offset of {@code ConstantPool::_source_file_name_index} (u2)
     */
    private record Lines(long constMethodSize, long codeSize, long flags, int hasLineTable, long poolSourceFile) {
    }

    private HotSpotMethods(FileChannel memory, Layout layout) {
        this.memory = memory;
        this.target = new Reader(memory);
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

    /** Bytes from an interpreted frame's frame pointer to the slot holding its byte-code pointer (negative). */
    int bytecodeSlot() {
        return layout.methodSlot() - BCP_BELOW_METHOD;
    }

    /** The source file of {@code method}'s class ({@code LeakyJava.java}), or null when unknown. */
    String sourceFile(long method) {
        Lines lines = layout.lines();
        if (lines == null) return null;
        return sourceFiles.computeIfAbsent(method, m -> {
            try {
                long pool = target.u64(target.u64(m + layout.methodConstMethod()) + layout.constMethodConstants());
                if (!aligned(pool)) return Optional.empty();
                return Optional.ofNullable(poolSymbol(pool, target.i32(pool + layout.poolLength()), target.u16(pool + lines.poolSourceFile())));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }).orElse(null);
    }

    /**
     * The source line {@code method} is at when its frame's byte-code pointer is {@code bcp}, as the JVM's
     * {@code Method::line_number_from_bci} finds it (the entry of that byte code, else the nearest before it); -1 when
     * unknown (a native method's frame has no byte-code pointer).
     */
    int line(long method, long bcp) {
        Lines lines = layout.lines();
        if (lines == null) return -1;
        try {
            long constMethod = target.u64(method + layout.methodConstMethod());
            if (!aligned(constMethod) || (target.u16(constMethod + lines.flags()) & lines.hasLineTable()) == 0) return -1;
            int codeSize = target.u16(constMethod + lines.codeSize());
            long code = constMethod + lines.constMethodSize();
            long bci = bcp - code;
            if (bci < 0 || bci >= codeSize) return -1;
            return LineTable.line(new LineTable.Bytes() {
                private long at = code + codeSize;
                private byte[] piece = new byte[0];
                private int next;

                @Override
                public int next() throws IOException {
                    if (next == piece.length) {
                        if (at - (code + codeSize) >= MAX_LINE_TABLE_BYTES) return -1;
                        piece = target.bytes(at, (int) (256 - (at & 255))); // never across a 256-byte boundary: never past a mapping's end
                        if (piece == null) return -1;
                        at += piece.length;
                        next = 0;
                    }
                    return piece[next++] & 0xff;
                }
            }, (int) bci);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private String read(long method) {
        try {
            if (!aligned(method)) return null;
            long constMethod = target.u64(method + layout.methodConstMethod());
            if (!aligned(constMethod)) return null;
            long pool = target.u64(constMethod + layout.constMethodConstants());
            if (!aligned(pool)) return null;
            int length = target.i32(pool + layout.poolLength());
            String name = poolSymbol(pool, length, target.u16(constMethod + layout.constMethodNameIndex()));
            String signature = poolSymbol(pool, length, target.u16(constMethod + layout.constMethodSignatureIndex()));
            long holder = target.u64(pool + layout.poolHolder());
            String type = aligned(holder) ? symbol(target.u64(holder + layout.klassName())) : null;
            if (name == null || signature == null || type == null || !signature.startsWith("(")) return null;
            String parameters = JavaSignature.parameters(signature);
            if (parameters == null || !plausibleName(name) || !plausibleName(type)) return null;
            return type.replace('/', '.') + "." + name + "(" + parameters + ")";
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The symbol at {@code index} of a constant pool of {@code length} entries; they follow the pool's header. */
    private String poolSymbol(long pool, int length, int index) throws IOException {
        if (index <= 0 || index >= length) return null;
        return symbol(target.u64(pool + layout.poolSize() + 8L * index));
    }

    private String symbol(long symbol) throws IOException {
        if (!aligned(symbol)) return null;
        int length = target.u16(symbol + layout.symbolLength());
        if (length == 0 || length > MAX_NAME_BYTES * 4) return null;
        byte[] bytes = target.bytes(symbol + layout.symbolBody(), length);
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
                offsetAt = r.u64(base + symbols.get(STRUCT_OFFSET)), addressAt = r.u64(base + symbols.get(STRUCT_ADDRESS));
        Map<String, Long> statics = new HashMap<>();
        for (int i = 0; i < MAX_ENTRIES && stride > 0; i++) {
            long entry = structs + i * stride;
            String type = r.cString(r.u64(entry + typeAt));
            if (type == null) break;
            String field = r.cString(r.u64(entry + fieldAt));
            if (field != null) fields.put(type + "::" + field, r.u64(entry + offsetAt));
            if (field != null) statics.put(type + "::" + field, r.u64(entry + addressAt)); // a static field's address, else 0
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
        Lines lines = null;
        Long release = statics.get("Abstract_VM_Version::_s_vm_release");
        Long lineFlag = ints.get("ConstMethod::_has_linenumber_table");
        if (release != null && release != 0 && lineFlag != null && sizes.containsKey("ConstMethod")
                && lineTablesKnown(majorVersion(r.cString(r.u64(release))))
                && fields.keySet().containsAll(List.of("ConstMethod::_code_size", "ConstMethod::_flags", "ConstantPool::_source_file_name_index"))) {
            lines = new Lines(sizes.get("ConstMethod"), fields.get("ConstMethod::_code_size"), fields.get("ConstMethod::_flags"),
                    lineFlag.intValue(), fields.get("ConstantPool::_source_file_name_index"));
        }
        return new Layout(fields.get(wanted.get(0)), fields.get(wanted.get(1)), fields.get(wanted.get(2)), fields.get(wanted.get(3)),
                fields.get(wanted.get(4)), fields.get(wanted.get(5)), sizes.get("ConstantPool"), fields.get(wanted.get(6)),
                fields.get(wanted.get(7)), fields.get(wanted.get(8)),
                (int) (ints.get("frame::interpreter_frame_last_sp_offset") - 1) * 8, lines);
    }

    /** Whether this reads the line tables of a JDK of {@code major}: its byte-code pointer's slot (9 on) and encoding (to 18). */
    static boolean lineTablesKnown(int major) {
        return major >= OLDEST_KNOWN_BYTECODE_SLOT && major <= NEWEST_KNOWN_LINE_TABLES;
    }

    /** {@code 17} of "17.0.15+6-Debian-1deb12u1", {@code 8} of "1.8.0_402-b06"; MAX_VALUE when unreadable. */
    static int majorVersion(String release) {
        if (release == null) return Integer.MAX_VALUE;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(?:1\\.)?(\\d+)").matcher(release);
        return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
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
