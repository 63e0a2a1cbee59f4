package dev.jhtrace.perf;

import java.util.BitSet;

/**
 * A process's recvmsg/recvmmsg calls whose control data no sample showed (SCM_RIGHTS into the heap, a static, a
 * runtime's buffer) since its replayed table was last known exact, for {@link PerfDecoder}'s inference of what they
 * received. The kernel installs received descriptors at the lowest free numbers of that moment (receive_fd,
 * get_unused_fd_flags), so, with nothing else unseen, a number the replay holds free but a later call shows open can
 * only be such a receive's. One object per table, reused: a server's millions of receives allocate nothing.
 *
 * <ul>
 *   <li>none: the replay is exact (as far as the trace can tell);</li>
 *   <li>one receive: a number the replay holds free, untouched by any traced call since, that turns up open is that
 *       receive's, and gets an OPEN with its stack;</li>
 *   <li>ambiguous: two or more receives (or a pipe or socketpair numbered while one was pending, or a fork's copy):
 *       what turns up open is not attributed.</li>
 * </ul>
 * Back to exact when a call that takes the lowest free number gets one the replay held free and no traced call touched
 * since the first of them: every receive took numbers below it, so all are known now.
 */
final class UnreadReceives {
    static final int NONE = 0, ONE = 1, AMBIGUOUS = 2;
    int state = NONE;
    /** Numbers a traced call opened or closed since the first unresolved receive. */
    final BitSet touched = new BitSet();
    /** The one receive's sample (held in its StackSamples while here), or null. */
    RawStack stack;
    int tid;
    long monoNanos;
    boolean closeOnExec; // MSG_CMSG_CLOEXEC

    boolean active() {
        return state != NONE;
    }

    /** A copy for a fork's child: it inherits the parent's unknown descriptors, but not the right to attribute them. */
    UnreadReceives forkCopy() {
        UnreadReceives c = new UnreadReceives();
        if (state != NONE) {
            c.state = AMBIGUOUS;
            c.touched.or(touched);
        }
        return c;
    }
}
