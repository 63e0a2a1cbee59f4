package dev.jhtrace.perf;

import dev.jhtrace.model.StackFrame;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Source file and line for perf's frames, from binutils' {@code addr2line}: one long-lived process per module, asked
 * once per distinct frame (perf's own srcline runs addr2line per frame, far too slow to stream). Frames of modules
 * without line information, or when addr2line is missing, stay as they are. Not thread-safe: the reader thread owns it.
 */
final class SourceLines implements AutoCloseable {
    private static final int MAX_MODULES = 64; // a process maps a few dozen; beyond that, no more lines than cost
    private final Map<String, Addr2line> modules = new HashMap<>();
    private final Map<String, StackFrame> cache = new HashMap<>();

    /**
     * The frame with its file and line, when {@code path}'s line table knows them.
     *
     * @param returnAddress true for callers' frames, whose address is the instruction after the call: the line asked for
     *                      is the one of the byte before, the call itself
     */
    StackFrame withLine(StackFrame frame, String path, boolean returnAddress) {
        if (path == null || !path.startsWith("/")) return frame;
        String key = path + '@' + Long.toHexString(frame.address()) + (returnAddress ? "r" : "");
        StackFrame known = cache.get(key);
        if (known != null) return known;
        StackFrame resolved = frame;
        Addr2line a = module(path);
        if (a != null) {
            String answer = a.ask(returnAddress ? frame.address() - 1 : frame.address());
            if (answer != null) resolved = parse(frame, answer);
        }
        cache.put(key, resolved);
        return resolved;
    }

    /** The frame with "FILE:LINE" (optionally " (discriminator N)") applied; "??:0" or "??:?" leaves it as it was. */
    static StackFrame parse(StackFrame frame, String answer) {
        int d = answer.indexOf(" (discriminator");
        String s = d < 0 ? answer.strip() : answer.substring(0, d).strip();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || s.startsWith("??")) return frame;
        Integer line;
        try {
            line = Integer.valueOf(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            return frame;
        }
        if (line == 0) return frame;
        return new StackFrame(frame.address(), frame.module(), frame.function(), frame.offset(), s.substring(0, colon), line);
    }

    private Addr2line module(String path) {
        if (modules.containsKey(path)) return modules.get(path);
        Addr2line a = null;
        if (modules.size() < MAX_MODULES && Files.isRegularFile(Path.of(path))) a = Addr2line.start(path);
        modules.put(path, a);
        return a;
    }

    @Override
    public void close() {
        modules.values().forEach(a -> {
            if (a != null) a.close();
        });
        modules.clear();
    }

    /** One addr2line reading addresses on stdin: it answers each with one line and flushes. */
    private record Addr2line(Process process, OutputStream in, BufferedReader out) {
        static Addr2line start(String path) {
            try {
                // its stdin closes with the JVM, and addr2line ends at end of input: it never outlives jhtrace
                Process p = new ProcessBuilder("addr2line", "-e", path).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                return new Addr2line(p, p.getOutputStream(), new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                return null; // binutils not installed: no lines
            }
        }

        String ask(long address) {
            try {
                in.write(("0x" + Long.toHexString(address) + "\n").getBytes(StandardCharsets.US_ASCII));
                in.flush();
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }

        void close() {
            try {
                in.close();
            } catch (IOException e) {
                // already gone
            }
            process.destroy();
        }
    }
}
