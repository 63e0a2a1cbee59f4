package dev.jhtrace.gdb.proc;

import java.util.LinkedHashMap;
import java.util.Map;

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
        long pos = -1, flags = -1, mnt = -1, ino = -1;
        int epollWatches = 0, inotifyWatches = 0, fanotifyMarks = 0;
        Map<String, String> details = new LinkedHashMap<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) end = text.length();
            String line = text.substring(start, end);
            start = end + 1;
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "pos" -> pos = parseLong(value, 10);
                case "flags" -> flags = parseLong(value, 8);
                case "mnt_id" -> mnt = parseLong(value, 10);
                case "ino" -> ino = parseLong(value, 10);
                case "tfd" -> epollWatches++;
                case "inotify wd" -> inotifyWatches++;
                case "fanotify ino", "fanotify mnt_id", "fanotify sdev" -> fanotifyMarks++;
                // eventfd-count is printed in hex by the kernel; keep it as shown and say so.
                case "eventfd-count" -> details.put("eventfd-count", "0x" + value);
                case "eventfd-semaphore", "clockid", "ticks", "it_value", "it_interval", "sigmask", "Pid" ->
                        details.put(key, value);
                default -> {
                }
            }
        }
        if (epollWatches > 0) details.put("watches", Integer.toString(epollWatches));
        if (inotifyWatches > 0) details.put("watches", Integer.toString(inotifyWatches));
        if (fanotifyMarks > 0) details.put("marks", Integer.toString(fanotifyMarks));
        return new FdInfo(pos, flags, mnt, ino, details);
    }

    private static long parseLong(String value, int radix) {
        try {
            return Long.parseLong(value, radix);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
