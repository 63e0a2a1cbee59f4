package dev.jhtrace.proc;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One parsed {@code /proc/PID/fdinfo/FD} file.
 *
 * @param position    file position ({@code pos:}), or -1 when absent
 * @param flags       open flags ({@code flags:}, octal in the file), or -1 when absent
 * @param mountId     mount id ({@code mnt_id:}), or -1 when absent
 * @param inode       inode number ({@code ino:}, Linux 5.14 and later), or -1 when absent
 * @param typeDetails the type-specific facts worth showing (eventfd count, epoll and inotify watch counts,
 *                    pidfd pid, timerfd clock, signalfd mask), in file order
 */
record FdInfo(long position, long flags, long mountId, long inode, Map<String, String> typeDetails) {

    static final FdInfo EMPTY = new FdInfo(-1, -1, -1, -1, Map.of());

    /** Parses the text of an fdinfo file; unknown lines are ignored. */
    static FdInfo parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return parse(bytes, bytes.length);
    }

    /**
     * Parses {@code bytes[0..length)} of an fdinfo file; unknown lines are ignored. Works on bytes and compares keys
     * by hand: it runs once per descriptor, 19,000 times for a big table, mostly before the JIT has compiled it, and
     * the interpreter pays for every String method call.
     */
    static FdInfo parse(byte[] b, int length) {
        long pos = -1, flags = -1, mnt = -1, ino = -1;
        int epollWatches = 0, inotifyWatches = 0, fanotifyMarks = 0;
        Map<String, String> details = null;
        int start = 0;
        while (start < length) {
            int end = start;
            while (end < length && b[end] != '\n') end++;
            int colon = start;
            while (colon < end && b[colon] != ':') colon++;
            if (colon > start && colon < end) {
                int value = colon + 1;
                while (value < end && (b[value] == ' ' || b[value] == '\t')) value++;
                int keyLength = colon - start;
                if (is(b, start, keyLength, POS)) pos = number(b, value, end, 10);
                else if (is(b, start, keyLength, FLAGS)) flags = number(b, value, end, 8);
                else if (is(b, start, keyLength, MNT_ID)) mnt = number(b, value, end, 10);
                else if (is(b, start, keyLength, INO)) ino = number(b, value, end, 10);
                else if (is(b, start, keyLength, TFD)) epollWatches++;
                else if (is(b, start, keyLength, INOTIFY_WD)) inotifyWatches++;
                else if (startsWith(b, start, end, FANOTIFY_INO) || startsWith(b, start, end, FANOTIFY_MNT)
                        || startsWith(b, start, end, FANOTIFY_SDEV)) fanotifyMarks++;
                else {
                    String name = new String(b, start, keyLength, StandardCharsets.ISO_8859_1);
                    if (SHOWN_KEYS.contains(name)) {
                        if (details == null) details = new LinkedHashMap<>();
                        String text = new String(b, value, end - value, StandardCharsets.ISO_8859_1).trim();
                        // eventfd-count is printed in hex by the kernel; keep it as shown and say so
                        details.put(name, name.equals("eventfd-count") ? "0x".concat(text) : text);
                    }
                }
            }
            start = end + 1;
        }
        if (epollWatches + inotifyWatches + fanotifyMarks > 0) {
            if (details == null) details = new LinkedHashMap<>();
            if (epollWatches > 0) details.put("watches", Integer.toString(epollWatches));
            if (inotifyWatches > 0) details.put("watches", Integer.toString(inotifyWatches));
            if (fanotifyMarks > 0) details.put("marks", Integer.toString(fanotifyMarks));
        }
        return new FdInfo(pos, flags, mnt, ino, details == null ? Map.of() : details);
    }

    private static final byte[] POS = ascii("pos"), FLAGS = ascii("flags"), MNT_ID = ascii("mnt_id"), INO = ascii("ino"),
            TFD = ascii("tfd"), INOTIFY_WD = ascii("inotify wd"), FANOTIFY_INO = ascii("fanotify ino"),
            FANOTIFY_MNT = ascii("fanotify mnt_id"), FANOTIFY_SDEV = ascii("fanotify sdev");

    /** The fdinfo lines copied into details as they are (eventfd, timerfd, signalfd, pidfd). */
    private static final Set<String> SHOWN_KEYS = Set.of("eventfd-count", "eventfd-semaphore", "clockid", "ticks",
            "it_value", "it_interval", "sigmask", "Pid");

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean is(byte[] b, int start, int length, byte[] key) {
        if (length != key.length) return false;
        for (int i = 0; i < length; i++) {
            if (b[start + i] != key[i]) return false;
        }
        return true;
    }

    private static boolean startsWith(byte[] b, int start, int end, byte[] prefix) {
        return end - start >= prefix.length && is(b, start, prefix.length, prefix);
    }

    /** The unsigned number in {@code b[from..to)} (trailing blanks allowed), or -1 when it is not one. */
    private static long number(byte[] b, int from, int to, int radix) {
        while (to > from && b[to - 1] <= ' ') to--;
        if (from >= to || to - from > 20) return -1;
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit >= radix) return -1;
            value = value * radix + digit;
        }
        return value;
    }
}
