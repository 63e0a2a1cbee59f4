package dev.jhtrace.gdb.proc;

import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a process's descriptor table from {@code /proc/PID/fd}. (Minimal version: type and name from
 * the link target only; the full reader with fdinfo replaces it.)
 */
public final class ProcFdReader {
    private ProcFdReader() {
    }

    /** The descriptors open in {@code pid} now. */
    public static HandleTable read(int pid) {
        Path dir = Path.of("/proc", Integer.toString(pid), "fd");
        List<HandleEntry> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                long fd = Long.parseLong(p.getFileName().toString());
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    continue; // closed while listing
                }
                entries.add(HandleEntry.of(fd, typeOf(target), target));
            }
        } catch (NoSuchFileException e) {
            throw new JhtraceException(Failure.TARGET_NOT_FOUND, "no process with pid " + pid);
        } catch (AccessDeniedException e) {
            throw new JhtraceException(Failure.PERMISSION_DENIED, "cannot read the descriptors of pid " + pid + ": run as the same user or root");
        } catch (IOException e) {
            throw new JhtraceException(Failure.OTHER, "cannot read /proc/" + pid + "/fd: " + e.getMessage(), e);
        }
        return new HandleTable(pid, Instant.now(), entries);
    }

    private static String typeOf(String target) {
        if (target.startsWith("/")) return "file";
        if (target.startsWith("anon_inode:")) return target.substring("anon_inode:".length()).replace("[", "").replace("]", "");
        int colon = target.indexOf(':');
        return colon > 0 ? target.substring(0, colon) : HandleTable.UNKNOWN_TYPE;
    }
}
