package dev.jhtrace.gdb.proc;

import dev.jhtrace.spi.Engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds processes by name in {@code /proc}. (Minimal version; the full finder replaces it.) */
public final class ProcessFinder {
    private ProcessFinder() {
    }

    /** Processes whose name ({@code /proc/PID/comm}) equals {@code name}. */
    public static List<Engine.ProcessInfo> find(String name) {
        List<Engine.ProcessInfo> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : ds) {
                try {
                    String comm = Files.readString(p.resolve("comm"), StandardCharsets.UTF_8).strip();
                    if (!comm.equals(name)) continue;
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').strip();
                    out.add(new Engine.ProcessInfo(Integer.parseInt(p.getFileName().toString()), comm, cmd));
                } catch (IOException | NumberFormatException e) {
                    // exited while listing
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
