package dev.jhtrace.perf;

import dev.jhtrace.model.StackFrame;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Source file and line for perf's frames, and the functions inlined at them, from binutils' {@code addr2line}: one
 * long-lived process per module, asked once per distinct frame (perf's own srcline runs addr2line per frame, far too slow
 * to stream). Frames of modules without line information, or when addr2line is missing, stay as they are. Not
 * thread-safe: the reader thread owns it.
 */
final class SourceLines implements AutoCloseable {
    private static final int MAX_MODULES = 64; // a process maps a few dozen; beyond that, no more lines than cost
    private final Map<String, Addr2line> modules = new HashMap<>();
    private final Map<String, List<StackFrame>> cache = new HashMap<>();

    /**
     * The frame with its file and line, when {@code path}'s line table knows them, preceded by a frame for each function
     * inlined at its address (innermost first, as a debugger shows them: same address, the inlined function, its line);
     * the frame itself, perf's function, gets the line of the outermost call, the one in its own code.
     *
     * @param returnAddress true for callers' frames, whose address is the instruction after the call: the line asked for
     *                      is the one of the byte before, the call itself
     */
    List<StackFrame> withLines(StackFrame frame, String path, boolean returnAddress) {
        if (path == null || !path.startsWith("/")) return List.of(frame);
        String key = path + '@' + Long.toHexString(frame.address()) + (returnAddress ? "r" : "");
        List<StackFrame> known = cache.get(key);
        if (known != null) return known;
        List<StackFrame> resolved = List.of(frame);
        Addr2line a = module(path);
        if (a != null) {
            long address = frame.address() + a.bias();
            List<String[]> answer = a.ask(returnAddress ? address - 1 : address);
            if (answer != null && !answer.isEmpty()) resolved = frames(frame, answer);
        }
        cache.put(key, resolved);
        return resolved;
    }

    /**
     * {@code frame} and its inlined functions from addr2line's (function, location) pairs, innermost first. A level
     * named as the frame itself is left out: addr2line names a Go program's inlined calls after their caller. A frame
     * without a function takes the outermost one's name.
     */
    static List<StackFrame> frames(StackFrame frame, List<String[]> answer) {
        List<StackFrame> out = new ArrayList<>(answer.size());
        String outer = answer.get(answer.size() - 1)[0];
        for (int i = 0; i < answer.size() - 1; i++) {
            String function = answer.get(i)[0];
            if (function == null || function.equals("??") || function.equals(outer) || function.equals(frame.function())) continue;
            StackFrame inlined = parse(new StackFrame(frame.address(), frame.module(), function, null, null, null), answer.get(i)[1]);
            if (inlined.line() != null) out.add(inlined);
        }
        StackFrame named = frame.function() == null && !outer.equals("??") // a frame perf did not name (GoFrames')
                ? new StackFrame(frame.address(), frame.module(), outer, null, null, null) : frame;
        out.add(parse(named, answer.get(answer.size() - 1)[1]));
        return List.copyOf(out);
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

    /**
     * One addr2line reading addresses on stdin: it answers each with one line and flushes. {@code bias} turns perf's
     * offsets in the file into the addresses addr2line wants ({@link ElfFile#codeAddressBias}).
     */
    private record Addr2line(Process process, OutputStream in, BufferedReader out, long bias) {
        static Addr2line start(String path) {
            try {
                // its stdin closes with the JVM, and addr2line ends at end of input: it never outlives jhtrace
                // -f -i: the function and line of each function inlined at the address, then of the one it lies in;
                // -a echoes each address first, which is how an answer of several lines is known to have ended
                Process p = new ProcessBuilder("addr2line", "-a", "-f", "-i", "-C", "-e", path).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                return new Addr2line(p, p.getOutputStream(), new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)),
                        ElfFile.codeAddressBias(Path.of(path)));
            } catch (IOException e) {
                return null; // binutils not installed: no lines
            }
        }

        /** addr2line's (function, location) pairs for {@code address}, innermost first, or null. */
        List<String[]> ask(long address) {
            try {
                // the address, then one that has no line: its echo ends the first answer
                in.write(("0x" + Long.toHexString(address) + "\n0x" + Long.toHexString(END_MARK) + "\n").getBytes(StandardCharsets.US_ASCII));
                in.flush();
                if (out.readLine() == null) return null; // the address's echo
                List<String[]> pairs = new ArrayList<>(2);
                for (String function = out.readLine(); function != null; function = out.readLine()) {
                    if (function.startsWith("0x")) { // the end mark's echo, then its function and line
                        out.readLine();
                        out.readLine();
                        return pairs;
                    }
                    pairs.add(new String[] {function, out.readLine()});
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }

        private static final long END_MARK = -1L;

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
