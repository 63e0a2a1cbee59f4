package dev.jhtrace.dbgeng;

import java.util.Set;

/**
 * Which handles get their name looked up. File handles with the access masks of synchronous named
 * pipes are skipped by default: a name query on them can block until the helper is killed, which
 * costs the whole timeout per handle. The masks are the ones handle-enumeration tools skip.
 */
final class NamePolicy {
    private static final Set<Long> PIPE_LIKE_ACCESS = Set.of(0x0012019FL, 0x001A019FL, 0x00120189L, 0x00100000L, 0x0016019FL);

    private NamePolicy() {
    }

    /** True when a name query on this handle may hang. */
    static boolean mayHang(String type, long grantedAccess) {
        return "File".equalsIgnoreCase(type) && PIPE_LIKE_ACCESS.contains(grantedAccess);
    }
}
