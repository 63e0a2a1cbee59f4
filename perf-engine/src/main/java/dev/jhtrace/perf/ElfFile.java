package dev.jhtrace.perf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** What the perf engine needs to know of an executable or library from its ELF headers (64-bit, little-endian). */
final class ElfFile {
    /** Sections every Go linker output has, also when stripped (the runtime needs its pc table). */
    private static final Set<String> GO_SECTIONS = Set.of(".gopclntab", ".go.buildinfo", ".note.go.buildid");
    private static final int MAX_ENTRIES = 4096;
    private static final int PT_LOAD = 1, PF_X = 1;
    private static final short ET_EXEC = 2;
    private static final int SHT_DYNSYM = 11, SYMBOL_SIZE = 24;
    private static final long PAGE = 4096;
    private static final long MAX_SECTION_BYTES = 64 << 20;

    private ElfFile() {
    }

    /**
     * Whether {@code file} is a Go program. perf's DWARF unwinder (libunwind) reads only {@code .eh_frame}, which the Go
     * linker does not write (its call frame information is in {@code .debug_frame}), so a Go program's DWARF-unwound
     * stacks end in the runtime's syscall stub; Go keeps the frame-pointer chain on x86-64, so the kernel's frame-pointer
     * walk gives the whole stack. False when not, or unreadable.
     */
    static boolean isGo(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer h = header(ch);
            if (h == null) return false;
            int shentsize = Short.toUnsignedInt(h.getShort(0x3a));
            int shnum = Short.toUnsignedInt(h.getShort(0x3c));
            int shstrndx = Short.toUnsignedInt(h.getShort(0x3e));
            ByteBuffer sections = sectionHeaders(ch, h);
            if (sections == null || shstrndx >= shnum) return false;
            long namesAt = sections.getLong(shstrndx * shentsize + 0x18);
            long namesSize = sections.getLong(shstrndx * shentsize + 0x20);
            if (namesSize <= 0 || namesSize > 1 << 20) return false;
            ByteBuffer names = read(ch, namesAt, (int) namesSize);
            if (names == null) return false;
            for (int i = 0; i < shnum; i++) {
                int name = sections.getInt(i * shentsize);
                if (name >= 0 && name < namesSize && GO_SECTIONS.contains(cString(names, name))) return true;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether {@code file} is a 32-bit ELF program (class ELFCLASS32): an x86-64 kernel runs it in compatibility mode,
     * and its system calls pass no syscall tracepoint (x86's {@code ARCH_TRACE_IGNORE_COMPAT_SYSCALLS}: their numbers
     * are not x86-64's). False when not, or unreadable.
     */
    static boolean is32Bit(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer h = read(ch, 0, 16);
            return h != null && h.getInt(0) == 0x464c457f && h.get(4) == 1;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * What to add to a file offset in {@code file}'s code to get its link-time address, as {@code addr2line} wants it:
     * perf gives frames as offsets in the file's mapping, which equal the addresses for shared objects and
     * position-independent executables (their code is linked where it lies in the file) but not for an executable linked
     * at a fixed address (a Go program, a static C one: {@code 0x400000}). 0 when unknown.
     */
    static long codeAddressBias(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer h = header(ch);
            long[] code = h == null ? null : codeSegment(ch, h);
            return code == null ? 0 : code[0] - code[2];
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * The code of an executable linked at a fixed address ({@code ET_EXEC}: a Go program as the Go linker builds it by
     * default, a static C one): its executable segment, where it lies at run time too; null for a position-independent
     * executable or shared object (their addresses depend on where they were loaded), or when unreadable.
     */
    static FixedCode fixedCode(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer h = header(ch);
            if (h == null || h.getShort(0x10) != ET_EXEC) return null;
            long[] code = codeSegment(ch, h);
            return code == null ? null : new FixedCode(code[0], code[1], code[0] - code[2]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * An executable's code at its fixed address: {@code start} to {@code end}, and {@code bias}, what to add to an offset
     * in the file to get its address ({@link #codeAddressBias}).
     */
    record FixedCode(long start, long end, long bias) {
        boolean contains(long address) {
            return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
        }
    }

    /**
     * The addresses of the dynamic symbols of {@code file} among {@code names} ({@code .dynsym}), each as its distance
     * from where the file's first loaded page lies at run time: the start of its mapping at file offset 0 plus that
     * distance is the symbol's address. Names not found are absent; empty when unreadable.
     */
    static Map<String, Long> dynamicSymbolOffsets(Path file, Set<String> names) {
        Map<String, Long> found = new HashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer h = header(ch);
            Long firstPage = h == null ? null : firstLoadedPage(ch, h);
            if (firstPage == null) return found;
            Section symbols = section(ch, h, SHT_DYNSYM);
            ByteBuffer table = symbols == null ? null : symbols.read(ch);
            ByteBuffer strings = symbols == null ? null : symbols.linked(ch, h);
            if (table == null || strings == null) return found;
            for (int at = SYMBOL_SIZE; at + SYMBOL_SIZE <= table.limit() && found.size() < names.size(); at += SYMBOL_SIZE) {
                int name = table.getInt(at);
                long value = table.getLong(at + 8);
                if (value == 0 || name <= 0 || name >= strings.limit()) continue;
                String n = cString(strings, name);
                if (names.contains(n)) found.put(n, value - firstPage);
            }
        } catch (IOException | RuntimeException e) {
            found.clear();
        }
        return found;
    }

    /** A section's place in the file and the index of the section it links to (a symbol table's strings). */
    private record Section(long offset, long size, int link) {
        ByteBuffer read(FileChannel ch) throws IOException {
            return size <= 0 || size > MAX_SECTION_BYTES ? null : ElfFile.read(ch, offset, (int) size);
        }

        ByteBuffer linked(FileChannel ch, ByteBuffer h) throws IOException {
            Section s = sectionAt(ch, h, link);
            return s == null ? null : s.read(ch);
        }
    }

    /** The first section of {@code type}, or null. */
    private static Section section(FileChannel ch, ByteBuffer h, int type) throws IOException {
        ByteBuffer sections = sectionHeaders(ch, h);
        if (sections == null) return null;
        int size = Short.toUnsignedInt(h.getShort(0x3a));
        for (int at = 0; at + size <= sections.limit(); at += size) {
            if (sections.getInt(at + 4) == type) return section(sections, at);
        }
        return null;
    }

    private static Section sectionAt(FileChannel ch, ByteBuffer h, int index) throws IOException {
        ByteBuffer sections = sectionHeaders(ch, h);
        int size = Short.toUnsignedInt(h.getShort(0x3a));
        if (sections == null || index <= 0 || (index + 1) * size > sections.limit()) return null;
        return section(sections, index * size);
    }

    private static Section section(ByteBuffer sections, int at) {
        return new Section(sections.getLong(at + 0x18), sections.getLong(at + 0x20), sections.getInt(at + 0x28));
    }

    private static ByteBuffer sectionHeaders(FileChannel ch, ByteBuffer h) throws IOException {
        return headerTable(ch, h, 0x28, 0x3a, 64); // e_shoff, e_shentsize (e_shnum follows)
    }

    private static ByteBuffer programHeaders(FileChannel ch, ByteBuffer h) throws IOException {
        return headerTable(ch, h, 0x20, 0x36, 56); // e_phoff, e_phentsize (e_phnum follows)
    }

    /** A table the ELF header places: its file offset at {@code offsetAt}, entry size at {@code sizeAt}, count after it. */
    private static ByteBuffer headerTable(FileChannel ch, ByteBuffer h, int offsetAt, int sizeAt, int minEntrySize) throws IOException {
        long offset = h.getLong(offsetAt);
        int entrySize = Short.toUnsignedInt(h.getShort(sizeAt));
        int count = Short.toUnsignedInt(h.getShort(sizeAt + 2));
        if (offset <= 0 || entrySize < minEntrySize || count == 0 || count > MAX_ENTRIES) return null;
        return read(ch, offset, entrySize * count);
    }

    /** The page where the first PT_LOAD segment begins (its p_vaddr rounded down to the page), or null. */
    private static Long firstLoadedPage(FileChannel ch, ByteBuffer h) throws IOException {
        ByteBuffer segments = programHeaders(ch, h);
        if (segments == null) return null;
        int size = Short.toUnsignedInt(h.getShort(0x36));
        for (int at = 0; at + size <= segments.limit(); at += size) {
            if (segments.getInt(at) == PT_LOAD) return segments.getLong(at + 0x10) & ~(PAGE - 1);
        }
        return null;
    }


    /** The first executable PT_LOAD segment: {p_vaddr, p_vaddr + p_memsz, p_offset}, or null. */
    private static long[] codeSegment(FileChannel ch, ByteBuffer h) throws IOException {
        ByteBuffer segments = programHeaders(ch, h);
        if (segments == null) return null;
        int size = Short.toUnsignedInt(h.getShort(0x36));
        for (int at = 0; at + size <= segments.limit(); at += size) {
            if (segments.getInt(at) == PT_LOAD && (segments.getInt(at + 4) & PF_X) != 0) {
                long vaddr = segments.getLong(at + 0x10);
                return new long[] {vaddr, vaddr + segments.getLong(at + 0x28), segments.getLong(at + 0x08)};
            }
        }
        return null;
    }

    /** The ELF header of a 64-bit little-endian file, or null. */
    private static ByteBuffer header(FileChannel ch) throws IOException {
        ByteBuffer h = read(ch, 0, 64);
        if (h == null || h.getInt(0) != 0x464c457f || h.get(4) != 2 || h.get(5) != 1) return null;
        return h;
    }

    private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) return null;
        }
        return b.flip();
    }

    private static String cString(ByteBuffer b, int at) {
        int end = at;
        while (end < b.limit() && b.get(end) != 0) end++;
        byte[] s = new byte[end - at];
        b.get(at, s);
        return new String(s, StandardCharsets.US_ASCII);
    }
}
