package dev.jhtrace.dbgeng.api;

import dev.jhtrace.dbgeng.jna.DbgEngConstants;

/** How {@link DbgEngClient#attach} attaches. Both are non-invasive: the target is never left stopped. */
public enum AttachMode {
    /** The production default: no debug port, threads not suspended. */
    NONINVASIVE_NO_SUSPEND(DbgEngConstants.DEBUG_ATTACH_NONINVASIVE | DbgEngConstants.DEBUG_ATTACH_NONINVASIVE_NO_SUSPEND),
    /** Non-invasive with threads suspended while attached (consistent stacks; resumed on detach). */
    NONINVASIVE(DbgEngConstants.DEBUG_ATTACH_NONINVASIVE);

    private final int flags;

    AttachMode(int flags) {
        this.flags = flags;
    }

    /** DEBUG_ATTACH_* flags for AttachProcess. */
    public int flags() {
        return flags;
    }
}
