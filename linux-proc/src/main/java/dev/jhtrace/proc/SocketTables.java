package dev.jhtrace.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * The sockets of one process's network namespace, looked up by inode for one listing. Tables are read from
 * {@code /proc/PID/net} (the target's namespace, not ours) lazily, in {@link NetTable#SEARCH_ORDER}, and each at most
 * once: a listing without sockets reads none, one with only TCP sockets reads only {@code tcp}. Not thread-safe.
 */
final class SocketTables {
    private final Path netDir;
    private final Map<NetTable, Map<Long, SocketInfo>> loaded = new EnumMap<>(NetTable.class);
    private int reads;

    SocketTables(Path netDir) {
        this.netDir = netDir;
    }

    /** The socket with this inode, or null when no table lists it (a family /proc does not show, or it just closed). */
    SocketInfo find(long inode) {
        for (Map<Long, SocketInfo> table : loaded.values()) {
            SocketInfo s = table.get(inode);
            if (s != null) return s;
        }
        for (NetTable t : NetTable.SEARCH_ORDER) {
            if (loaded.containsKey(t)) continue;
            Map<Long, SocketInfo> table = load(t);
            loaded.put(t, table);
            SocketInfo s = table.get(inode);
            if (s != null) return s;
        }
        return null;
    }

    /** How many table files this listing has read so far. */
    int tablesRead() {
        return reads;
    }

    private Map<Long, SocketInfo> load(NetTable t) {
        reads++;
        try {
            return t.parse(ProcFiles.readUtf8(netDir.resolve(t.fileName)));
        } catch (IOException e) {
            // a table the kernel does not have (no IPv6, no udplite) or a process gone: nothing to find there
            return Map.of();
        }
    }
}
