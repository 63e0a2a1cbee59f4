package dev.jhtrace.perf;

import dev.jhtrace.model.StackFrame;
import dev.jhtrace.model.StackTrace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Go program's callers in a stack perf unwound with DWARF. perf's unwinder stops at the first Go frame (the Go linker
 * writes no {@code .eh_frame}: see {@link ElfFile#isGo}); where the engine could not record the kernel's frame-pointer
 * walk instead (every process traced with one call graph, {@code --all}; a Go program a traced shell starts), the same
 * walk is done here on the sample's copy of the stack: from the frame pointer register, each frame record holds the
 * caller's frame pointer and a return address, as Go keeps them on x86-64. Like the kernel's walk, it starts at the
 * register, so the direct caller of a function that keeps no frame record (an assembly stub) can be missing.
 *
 * <p>Only for programs linked at a fixed address (the Go linker's default), whose return addresses are their link-time
 * addresses; a position-independent Go program keeps perf's stack.
 */
final class GoFrames {
    private GoFrames() {
    }

    /**
     * A Go executable a process runs.
     *
     * @param path   its file, as addr2line opens it
     * @param module its file name, as perf names its frames' module
     * @param code   its code, where it lies at run time
     */
    record Program(String path, String module, ElfFile.FixedCode code) {
        /** The Go program process {@code pid} runs now, when it is one linked at a fixed address. */
        static Optional<Program> of(int pid) {
            try {
                Path exe = Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "exe"));
                if (!ElfFile.isGo(exe)) return Optional.empty();
                ElfFile.FixedCode code = ElfFile.fixedCode(exe);
                return code == null ? Optional.empty() : Optional.of(new Program(exe.toString(), exe.getFileName().toString(), code));
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // exited, or not ours to read
            }
        }
    }

    /**
     * {@code stack} followed by the callers found in the stack copy, when perf stopped at its first frame in
     * {@code program}'s code; otherwise {@code stack} as it is.
     *
     * @param record    the sample's bytes ({@link RawStack#bytes()})
     * @param stackAt   where its user stack copy's size lies, or -1
     * @param sp        the user stack pointer, where the copy begins
     * @param bp        the frame pointer register
     * @param lines     names each caller and gives its file and line (addr2line)
     */
    static StackTrace complete(StackTrace stack, Program program, byte[] record, int stackAt, long sp, long bp, int maxFrames, SourceLines lines) {
        List<StackFrame> perf = stack.frames();
        if (perf.isEmpty() || sp == 0 || bp == 0) return stack;
        long first = perf.get(0).address();
        for (StackFrame f : perf) {
            if (f.address() != first || !program.module().equals(f.module())) return stack; // perf went further, or not Go code
        }
        int[] copy = RawStack.stackCopy(record, stackAt);
        if (copy == null) return stack;
        List<StackFrame> frames = new ArrayList<>(perf);
        long firstRecord = bp - sp;
        if (firstRecord < 0 || firstRecord > Integer.MAX_VALUE) return stack;
        FramePointerChain.follow(record, copy, sp, (int) firstRecord, (at, ret) -> {
            if (frames.size() >= maxFrames || !program.code().contains(ret)) return false;
            // as perf gives frames: an offset in the file
            StackFrame caller = new StackFrame(ret - 1 - program.code().bias(), program.module(), null, null, null, null);
            for (StackFrame f : lines.withLines(caller, program.path(), true)) {
                if (frames.size() < maxFrames) frames.add(f);
            }
            return true;
        });
        return frames.size() == perf.size() ? stack : new StackTrace(frames);
    }
}
