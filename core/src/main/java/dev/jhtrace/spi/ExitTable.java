package dev.jhtrace.spi;

/**
 * Which table a launched command that runs to its end is judged by: whether the handles its runtime closes on
 * its own way out (Python's finalization closing its file objects, C atexit handlers and C++ static destructors)
 * count as still open.
 */
public enum ExitTable {
    /**
     * The handles still open when the process ends (exit_group): what the runtime closed at exit does not count.
     * The default: it costs nothing per event, and for most native programs it equals {@link #BEFORE_EXIT}.
     */
    AT_EXIT,
    /**
     * The handles open when the program starts exiting, seen at the first close made by the runtime's exit
     * (a close with {@code exit}, {@code __run_exit_handlers}, {@code _dl_fini} or {@code Py_FinalizeEx} on its
     * stack); the trace ends there. A Python program's unclosed files then count. Engines that cannot tell
     * (all but gdb) use {@link #AT_EXIT}. Costs a walk of the whole stack at each close until then.
     */
    BEFORE_EXIT
}
