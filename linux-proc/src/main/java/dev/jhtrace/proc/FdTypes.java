package dev.jhtrace.proc;

/**
 * The descriptor type names {@link ProcFdReader} puts in {@link dev.jhtrace.model.HandleEntry#type()}, the Linux
 * counterparts of the object types {@code !handle} shows. Filter with {@code table.ofType(FdTypes.SOCKET)}.
 */
public final class FdTypes {
    /** A regular file (or a file whose kind could not be read). */
    public static final String FILE = "File";
    /** A directory, opened with {@code O_DIRECTORY} or {@code opendir}. */
    public static final String DIRECTORY = "Directory";
    /** Any socket; details tell family, protocol and addresses when {@code /proc/PID/net} knows the socket. */
    public static final String SOCKET = "Socket";
    /** An anonymous pipe ({@code pipe:[inode]}) or a named FIFO. */
    public static final String PIPE = "Pipe";
    /** {@code eventfd(2)}. */
    public static final String EVENT_FD = "EventFd";
    /** {@code epoll_create(2)}. */
    public static final String EVENT_POLL = "EventPoll";
    /** {@code timerfd_create(2)}. */
    public static final String TIMER_FD = "TimerFd";
    /** {@code signalfd(2)}. */
    public static final String SIGNAL_FD = "SignalFd";
    /** {@code inotify_init(2)}. */
    public static final String INOTIFY = "Inotify";
    /** {@code fanotify_init(2)}. */
    public static final String FANOTIFY = "FaNotify";
    /** {@code memfd_create(2)}. */
    public static final String MEM_FD = "MemFd";
    /** {@code pidfd_open(2)} or {@code CLONE_PIDFD}. */
    public static final String PID_FD = "PidFd";
    /** A character or block device; the {@code device} detail says which and its major:minor. */
    public static final String DEVICE = "Device";
    /** Any other anonymous inode ({@code anon_inode:[io_uring]}, {@code anon_inode:bpf-map} ...). */
    public static final String ANON_INODE = "AnonInode";
    /** Anything else: namespace descriptors ({@code net:[4026531840]}) and kinds newer kernels add. */
    public static final String OTHER = "Other";

    private FdTypes() {
    }

    /** Every type name above. */
    public static final java.util.List<String> ALL = java.util.List.of(FILE, DIRECTORY, SOCKET, PIPE, EVENT_FD, EVENT_POLL, TIMER_FD, SIGNAL_FD, INOTIFY, FANOTIFY, MEM_FD, PID_FD, DEVICE, ANON_INODE, OTHER);

    /**
     * The type a {@code /proc/PID/fd/N} link text tells by itself ({@code pipe:[N]} a pipe, {@code anon_inode:[eventfd]}
     * an eventfd ...), or null for a path, whose type only {@code stat} can tell.
     */
    public static String ofLink(String link) {
        return FdTarget.of(link).type();
    }
}
