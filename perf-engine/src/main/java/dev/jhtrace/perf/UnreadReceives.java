package dev.jhtrace.perf;

import java.util.BitSet;

/**
 * What a process's replayed table knows of descriptors it received where no sample showed them (SCM_RIGHTS into the
 * heap, a static, a runtime's buffer), for {@link PerfDecoder}'s inference of whose they are. The kernel installs
 * received descriptors at the lowest free numbers of that moment (receive_fd, get_unused_fd_flags), so while the replay
 * is exact, a number it holds free that turns out open can only be an unread receive's. One object per table, reused:
 * a server's millions of receives allocate nothing.
 *
 * <ul>
 *   <li>unknown: the replay may miss descriptors opened before its process was first seen (a table read from /proc
 *       at that moment, or the target's read before perf recorded it); nothing is attributed until a /proc listing
 *       read while recorded makes it exact;</li>
 *   <li>none: the replay is exact (as far as the trace can tell);</li>
 *   <li>one receive: a number the replay holds free, untouched by any traced call since that receive, that turns up
 *       open is that receive's, and gets an OPEN with its stack;</li>
 *   <li>ambiguous: two or more receives (or a pipe or socketpair numbered while one was pending, or a fork's copy):
 *       what turns up open is attributed to no receive, but opened without a stack (its leak reported, stack unknown),
 *       except in a fork's copy, where it was inherited.</li>
 * </ul>
 * Back to exact when a call that takes the lowest free number gets one the replay held free and no traced call touched
 * since the first unresolved receive (every receive took numbers below it, so all are known now), or when a /proc
 * listing with no receive while it was read has been applied.
 */
final class UnreadReceives {
    static final int NONE = 0, ONE = 1, AMBIGUOUS = 2, UNKNOWN = 3;
    int state;
    /** Numbers a traced call opened or closed since the first unresolved receive. */
    final BitSet touched = new BitSet();
    /** Numbers a traced call opened or closed while a /proc listing was being read ({@link #listening}). */
    final BitSet touchedWhileListed = new BitSet();
    boolean listening;
    /** The one receive's sample (held in its StackSamples while here), or null. */
    RawStack stack;
    int tid;
    long monoNanos;
    boolean closeOnExec; // MSG_CMSG_CLOEXEC
    long lastReceiveNanos = Long.MIN_VALUE; // the latest unread receive's time, in any state
    boolean inherited; // a fork's copy: its unresolved receives are its parent's, until the replay is exact again

    UnreadReceives(int state) {
        this.state = state;
    }

    boolean active() {
        return state != NONE;
    }

    /** A traced call opened or closed {@code fd}. */
    void touch(int fd) {
        if (state != NONE) touched.set(fd);
        if (listening) touchedWhileListed.set(fd);
    }

    /** A copy for a fork's child: it inherits the parent's unknown descriptors, but not the right to attribute them. */
    UnreadReceives forkCopy() {
        UnreadReceives c = new UnreadReceives(state == ONE ? AMBIGUOUS : state);
        c.inherited = state != NONE;
        c.touched.or(touched);
        c.lastReceiveNanos = lastReceiveNanos;
        return c;
    }
}
