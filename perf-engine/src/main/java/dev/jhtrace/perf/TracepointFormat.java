package dev.jhtrace.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tracepoint's record layout as its tracefs {@code format} file gives it (the kernel's own description, not guessed
 * offsets): its id (perf's {@code attr.config}) and where each field lies in the raw data a sample carries.
 *
 * @param group  the tracepoint's group, e.g. {@code syscalls}
 * @param name   e.g. {@code sys_exit_openat}
 * @param id     the tracepoint id
 * @param fields by name
 */
record TracepointFormat(String group, String name, long id, Map<String, Field> fields) {
    private static final Pattern FIELD = Pattern.compile("field:(.+?)\\s+(\\w+)(\\[\\d*])?;\\s*offset:(\\d+);\\s*size:(\\d+);\\s*signed:(\\d)");

    /**
     * One field.
     *
     * @param offset  bytes from the start of the raw data
     * @param size    bytes
     * @param signed  whether it is signed
     * @param width   bytes of its C type (a syscall argument declared {@code unsigned int} has a slot of 8, its value 4)
     * @param dataLoc a {@code __data_loc} field: a 32-bit (length << 16 | offset) of a string elsewhere in the data
     * @param chars   an inline {@code char[N]}
     */
    record Field(int offset, int size, boolean signed, int width, boolean dataLoc, boolean chars) {
        /** This numeric field of raw data at {@code data[rawOffset..]}, sign-extended as declared; -1 for a string. */
        long number(byte[] data, int rawOffset) {
            if (dataLoc || chars) return -1;
            int at = rawOffset + offset;
            return switch (width) {
                case 1 -> signed ? data[at] : data[at] & 0xff;
                case 2 -> signed ? (short) Le.u16(data, at) : Le.u16(data, at);
                case 4 -> signed ? (int) Le.u32(data, at) : Le.u32(data, at);
                default -> Le.u64(data, at);
            };
        }
    }

    /** Reads {@code events/GROUP/NAME/format} under {@code tracefs}. */
    static TracepointFormat read(Path tracefs, String group, String name) throws IOException {
        return parse(group, name, Files.readString(tracefs.resolve("events").resolve(group).resolve(name).resolve("format")));
    }

    /** The format file's text. */
    static TracepointFormat parse(String group, String name, String text) {
        long id = -1;
        Map<String, Field> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("ID:")) id = Long.parseLong(l.substring(3).strip());
            Matcher m = FIELD.matcher(l);
            if (!m.find()) continue;
            String type = m.group(1);
            int size = Integer.parseInt(m.group(5));
            boolean dataLoc = type.startsWith("__data_loc");
            boolean chars = !dataLoc && m.group(3) != null && type.endsWith("char");
            fields.put(m.group(2), new Field(Integer.parseInt(m.group(4)), size, m.group(6).equals("1"), width(type, size), dataLoc, chars));
        }
        if (id < 0) throw new IllegalArgumentException("no ID in the format of " + group + ":" + name);
        return new TracepointFormat(group, name, id, Map.copyOf(fields));
    }

    /** Bytes of a scalar C type's value (int and unsigned int: 4, even in an 8-byte syscall argument slot). */
    private static int width(String type, int size) {
        if (size == 8 && type.matches("(const )?(unsigned )?(int|pid_t|uid_t|gid_t|umode_t)")) return 4;
        return size;
    }

    /** The numeric field {@code field} of raw data at {@code data[offset..]}, sign-extended as declared; -1 when absent. */
    long number(byte[] data, int offset, String field) {
        Field f = fields.get(field);
        return f == null ? -1 : f.number(data, offset);
    }

    /** The string field {@code field} ({@code __data_loc char[]} or {@code char[N]}), or null when absent. */
    String text(byte[] data, int offset, int length, String field) {
        Field f = fields.get(field);
        if (f == null) return null;
        int start;
        int max;
        if (f.dataLoc) {
            long loc = Le.u32(data, offset + f.offset);
            start = offset + (int) (loc & 0xffff);
            max = (int) (loc >>> 16);
        } else if (f.chars) {
            start = offset + f.offset;
            max = f.size;
        } else {
            return null;
        }
        max = Math.max(0, Math.min(max, offset + length - start));
        int end = start;
        while (end < start + max && data[end] != 0) end++;
        return new String(data, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
    }
}
