package dev.jhtrace.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The syscall tracepoints the perf engine records: the same descriptor-creating and -releasing calls the gdb
 * engine covers. Creation is seen at the syscall's exit, successful calls only (a kernel-side filter, so failed
 * calls cost no stack), with the user stack; releases at close's entry, without a stack.
 */
final class Tracepoints {
    /** Calls whose return value is the new descriptor. */
    static final List<String> RETURNING_FD = List.of("open", "openat", "openat2", "creat", "socket", "accept", "accept4",
            "dup", "dup2", "dup3", "eventfd", "eventfd2", "timerfd_create", "signalfd", "signalfd4", "epoll_create", "epoll_create1",
            "inotify_init", "inotify_init1", "fanotify_init", "memfd_create", "pidfd_open", "pidfd_getfd", "perf_event_open",
            "io_uring_setup", "userfaultfd");
    /** Calls that write two descriptors to memory perf cannot read: the numbers follow from the kernel's lowest-free rule. */
    static final List<String> RETURNING_PAIR = List.of("pipe", "pipe2", "socketpair");
    private static final long F_DUPFD = 0;
    static final long F_DUPFD_CLOEXEC = 1030;
    /** Bytes of user stack copied per recvmsg and recvmmsg exit (every one is recorded, most receive no descriptor). */
    static final int RECEIVE_STACK_BYTES = 1024;
    /** ioctl's FIONCLEX and FIOCLEX, which clear and set a descriptor's close-on-exec flag. */
    static final String IOCTL_CLOEXEC_FILTER = "cmd == 21584 || cmd == 21585";
    // BPF_MAP_CREATE, PROG_LOAD, OBJ_GET, PROG_GET_FD_BY_ID, MAP_GET_FD_BY_ID, RAW_TRACEPOINT_OPEN, BTF_LOAD,
    // BTF_GET_FD_BY_ID, LINK_CREATE, LINK_GET_FD_BY_ID, ENABLE_STATS, ITER_CREATE
    static final String BPF_FD_FILTER = "cmd == 0 || cmd == 5 || cmd == 7 || cmd == 13 || cmd == 14 || cmd == 17 || cmd == 18"
            + " || cmd == 19 || cmd == 28 || cmd == 30 || cmd == 32 || cmd == 33";

    private Tracepoints() {
    }

    /**
     * The {@code perf record} event arguments for the tracepoints this kernel has ({@code available}: names such as
     * {@code sys_exit_openat}); one without a call graph is marked {@code /call-graph=no/}.
     */
    static List<String> recordArguments(Set<String> available) {
        List<String> args = new ArrayList<>();
        for (String call : RETURNING_FD) exit(args, available, call, "ret >= 0");
        for (String call : RETURNING_PAIR) exit(args, available, call, "ret == 0");
        // calls that return a descriptor for some commands only: their entry marks the exit. Every fcntl entry is
        // recorded (stackless), so that each exit follows its own entry: filtered on F_DUPFD, a failed one (whose exit
        // the filter drops) made the next fcntl of its thread, an F_SETFD returning 0, look like a new descriptor 0.
        if (available.contains("sys_enter_fcntl") && available.contains("sys_exit_fcntl")) {
            args.addAll(List.of("-e", "syscalls:sys_enter_fcntl/call-graph=no/"));
            exit(args, available, "fcntl", "ret >= 0");
        }
        if (available.contains("sys_enter_bpf") && available.contains("sys_exit_bpf")) {
            args.addAll(List.of("-e", "syscalls:sys_enter_bpf/call-graph=no/", "--filter", BPF_FD_FILTER));
            exit(args, available, "bpf", "ret >= 0");
        }
        // which descriptor a dup copies, so that the copy has its type (stackless, few)
        for (String call : List.of("dup", "dup2", "dup3")) {
            if (available.contains("sys_enter_" + call) && available.contains("sys_exit_" + call)) args.addAll(List.of("-e", "syscalls:sys_enter_" + call + "/call-graph=no/"));
        }
        // descriptors received with SCM_RIGHTS: their numbers are in the control data, read from the stack copy. Every
        // successful recvmsg is a sample (no filter can see its control data), so a smaller stack copy: a UDP loop of
        // send+recvmsg took 5 us a round untraced, 8.8 with 2 KiB copies, 7.1 with 1 KiB (the caller's msghdr and
        // control buffer lie within a few hundred bytes of the stack pointer)
        for (String call : List.of("recvmsg", "recvmmsg")) {
            if (available.contains("sys_exit_" + call)) {
                args.addAll(List.of("-e", "syscalls:sys_exit_" + call + "/call-graph=dwarf,stack-size=" + RECEIVE_STACK_BYTES + "/", "--filter", "ret >= 0"));
            }
        }
        // ioctl(FIOCLEX/FIONCLEX) sets or clears a descriptor's close-on-exec flag (fcntl's F_SETFD is seen at its entry)
        if (available.contains("sys_enter_ioctl")) {
            args.addAll(List.of("-e", "syscalls:sys_enter_ioctl/call-graph=no/", "--filter", IOCTL_CLOEXEC_FILTER));
        }
        for (String call : List.of("close", "close_range")) {
            if (available.contains("sys_enter_" + call)) args.addAll(List.of("-e", "syscalls:sys_enter_" + call + "/call-graph=no/"));
        }
        // a forked child starts with a copy of its parent's table
        args.addAll(List.of("-e", "sched:sched_process_fork/call-graph=no/"));
        // a process's name after its exec, for the reports of children and of --all; and the exec closes the
        // close-on-exec descriptors
        args.addAll(List.of("-e", "sched:sched_process_exec/call-graph=no/"));
        return args;
    }

    /** Whether fcntl's command {@code cmd} returns a new descriptor. */
    static boolean isDupfd(long cmd) {
        return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC;
    }

    private static void exit(List<String> args, Set<String> available, String call, String filter) {
        if (!available.contains("sys_exit_" + call)) return;
        args.addAll(List.of("-e", "syscalls:sys_exit_" + call, "--filter", filter));
    }
}
