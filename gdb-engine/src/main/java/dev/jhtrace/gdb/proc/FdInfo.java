package dev.jhtrace.gdb.proc;

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

    /**
     * Parses the text of an fdinfo file; unknown lines are ignored. Written to do little per line: it runs once per
     * descriptor, 19,000 times for a big table, mostly before the JIT has compiled it.
     */
    static FdInfo parse(String text) {
        long pos = -1, flags = -1, mnt = -1, ino = -1;
        int epollWatches = 0, inotifyWatches = 0, fanotifyMarks = 0;
        Map<String, String> details = null;
        int length = text.length();
        int start = 0;
        while (start < length) {
            int end = text.indexOf('\n', start);
            if (end < 0) end = length;
            int colon = text.indexOf(':', start);
            if (colon > start && colon < end) {
                int valueStart = colon + 1;
                while (valueStart < end && (text.charAt(valueStart) == ' ' || text.charAt(valueStart) == '\t')) valueStart++;
                if (key(text, start, colon, "pos")) pos = parseLong(text, valueStart, end, 10);
                else if (key(text, start, colon, "flags")) flags = parseLong(text, valueStart, end, 8);
                else if (key(text, start, colon, "mnt_id")) mnt = parseLong(text, valueStart, end, 10);
                else if (key(text, start, colon, "ino")) ino = parseLong(text, valueStart, end, 10);
                else if (key(text, start, colon, "tfd")) epollWatches++;
                else if (key(text, start, colon, "inotify wd")) inotifyWatches++;
                else if (text.startsWith("fanotify ino", start) || text.startsWith("fanotify mnt_id", start)
                        || text.startsWith("fanotify sdev", start)) fanotifyMarks++;
                else {
                    String name = text.substring(start, colon);
                    if (SHOWN_KEYS.contains(name)) {
                        if (details == null) details = new LinkedHashMap<>();
                        String value = text.substring(valueStart, end).trim();
                        // eventfd-count is printed in hex by the kernel; keep it as shown and say so
                        details.put(name, name.equals("eventfd-count") ? "0x".concat(value) : value);
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

    /** The fdinfo lines copied into details as they are (eventfd, timerfd, signalfd, pidfd). */
    private static final Set<String> SHOWN_KEYS = Set.of("eventfd-count", "eventfd-semaphore", "clockid", "ticks",
            "it_value", "it_interval", "sigmask", "Pid");

    private static boolean key(String text, int start, int colon, String key) {
        return colon - start == key.length() && text.startsWith(key, start);
    }

    /**
     * The unsigned number in {@code text[from..to)} (trailing blanks allowed), or -1 when it is not one. Hand-written:
     * Long.parseLong goes through Character.digit per digit, which matters while the JIT has not compiled it yet.
     */
    static long parseLong(String text, int from, int to, int radix) {
        while (to > from && text.charAt(to - 1) <= ' ') to--;
        if (from >= to || to - from > 20) return -1;
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit >= radix) return -1;
            value = value * radix + digit;
        }
        return value;
    }
}
