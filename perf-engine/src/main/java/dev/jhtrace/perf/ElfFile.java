package dev.jhtrace.perf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/** What the perf engine needs to know of an executable or library from its ELF headers (64-bit, little-endian). */
final class ElfFile {
    /** Sections every Go linker output has, also when stripped (the runtime needs its pc table). */
    private static final Set<String> GO_SECTIONS = Set.of(".gopclntab", ".go.buildinfo", ".note.go.buildid");
    private static final int MAX_ENTRIES = 4096;
    private static final int PT_LOAD = 1, PF_X = 1;
    private static final short ET_EXEC = 2;

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
            long shoff = h.getLong(0x28);
            int shentsize = Short.toUnsignedInt(h.getShort(0x3a));
            int shnum = Short.toUnsignedInt(h.getShort(0x3c));
            int shstrndx = Short.toUnsignedInt(h.getShort(0x3e));
            if (shoff <= 0 || shentsize < 64 || shnum == 0 || shnum > MAX_ENTRIES || shstrndx >= shnum) return false;
            ByteBuffer sections = read(ch, shoff, shentsize * shnum);
            if (sections == null) return false;
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

    /** The first executable PT_LOAD segment: {p_vaddr, p_vaddr + p_memsz, p_offset}, or null. */
    private static long[] codeSegment(FileChannel ch, ByteBuffer h) throws IOException {
        long phoff = h.getLong(0x20);
        int phentsize = Short.toUnsignedInt(h.getShort(0x36));
        int phnum = Short.toUnsignedInt(h.getShort(0x38));
        if (phoff <= 0 || phentsize < 56 || phnum == 0 || phnum > MAX_ENTRIES) return null;
        ByteBuffer segments = read(ch, phoff, phentsize * phnum);
        if (segments == null) return null;
        for (int i = 0; i < phnum; i++) {
            int at = i * phentsize;
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
