package dev.jhtrace.model;

/**
 * One thread of a live process, as WinDbg's {@code ~} lists them.
 *
 * @param tid   thread id (Linux: the task id under {@code /proc/PID/task})
 * @param name  the thread's name, or null when it has none
 * @param state the engine's word for what it is doing ({@code running}, {@code sleeping}, {@code stopped} ...), or null
 */
public record ThreadInfo(int tid, String name, String state) {
}
