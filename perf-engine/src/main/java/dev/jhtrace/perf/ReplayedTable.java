package dev.jhtrace.perf;

import java.util.BitSet;

/**
 * A process's descriptor table as the trace replays it: which numbers are open, and which of those the kernel closes at
 * an exec (FD_CLOEXEC). A descriptor whose flag the trace could not tell counts as not close-on-exec: it stays open at
 * an exec, as it did before the flag was traced.
 */
final class ReplayedTable {
    final BitSet open;
    final BitSet closeOnExec;
    /** Receives whose descriptors no sample showed, since the replay was last exact (see {@link UnreadReceives}). */
    UnreadReceives unread;

    ReplayedTable(BitSet open, BitSet closeOnExec) {
        this.open = open;
        this.closeOnExec = closeOnExec;
    }

    /** Open descriptors, none known to be close-on-exec. */
    ReplayedTable(BitSet open) {
        this(open, new BitSet());
    }

    /** A fork's child's: a copy of its parent's, flags included. */
    ReplayedTable copy() {
        ReplayedTable t = new ReplayedTable((BitSet) open.clone(), (BitSet) closeOnExec.clone());
        if (unread != null) t.unread = unread.forkCopy();
        return t;
    }
}
