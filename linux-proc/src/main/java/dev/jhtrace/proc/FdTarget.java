package dev.jhtrace.proc;

/**
 * What a {@code /proc/PID/fd/N} link says about the open object, before anything else is read.
 *
 * @param type      one of {@link FdTypes}, or null when only {@code stat} can tell (a path)
 * @param name      the link text as the kernel shows it ({@code /tmp/x}, {@code socket:[123]}, {@code anon_inode:[eventfd]})
 * @param inode     the inode in {@code socket:[N]} / {@code pipe:[N]}, or -1
 */
record FdTarget(String type, String name, long inode) {

    /** Classifies a link text; paths (which need {@code stat}) get a null type. */
    static FdTarget of(String link) {
        if (link.startsWith("/")) {
            return new FdTarget(link.startsWith("/memfd:") ? FdTypes.MEM_FD : null, link, -1);
        }
        if (link.startsWith("socket:[")) return new FdTarget(FdTypes.SOCKET, link, bracketNumber(link));
        if (link.startsWith("pipe:[")) return new FdTarget(FdTypes.PIPE, link, bracketNumber(link));
        // pidfs kernels may show "pidfd:[inode]" instead of the older anon inode
        if (link.startsWith("pidfd:")) return new FdTarget(FdTypes.PID_FD, link, bracketNumber(link));
        if (link.startsWith("memfd:")) return new FdTarget(FdTypes.MEM_FD, link, -1);
        if (link.startsWith("anon_inode:")) {
            String kind = link.substring("anon_inode:".length());
            if (kind.startsWith("[") && kind.endsWith("]")) kind = kind.substring(1, kind.length() - 1);
            String type = switch (kind) {
                case "eventfd" -> FdTypes.EVENT_FD;
                case "eventpoll" -> FdTypes.EVENT_POLL;
                case "timerfd" -> FdTypes.TIMER_FD;
                case "signalfd" -> FdTypes.SIGNAL_FD;
                case "inotify" -> FdTypes.INOTIFY;
                case "fanotify" -> FdTypes.FANOTIFY;
                case "pidfd" -> FdTypes.PID_FD;
                default -> FdTypes.ANON_INODE;
            };
            return new FdTarget(type, link, -1);
        }
        // namespace descriptors (net:[4026531840]) and anything newer kernels invent
        return new FdTarget(FdTypes.OTHER, link, -1);
    }

    private static long bracketNumber(String link) {
        int open = link.indexOf('[');
        int close = link.indexOf(']', open + 1);
        if (open < 0 || close < 0) return -1;
        try {
            return Long.parseLong(link.substring(open + 1, close));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
