package dev.jhtrace.shell.options;

import dev.jhtrace.capture.CaptureFiles;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code -o/--output FILE}, shared by every command that prints a report: the report goes to FILE instead
 * of stdout, written atomically (aside, then renamed) and owner-only, since reports hold the target's
 * object names and paths. A FILE ending in {@code .json} means JSON, as {@code --json} does.
 */
public final class OutputOption {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE instead of stdout (atomically, owner-only); a name ending .json means --json.")
    Path file;

    /** The option as given: {@code file}, or null for stdout (for commands that take it as a parameter). */
    public static OutputOption to(Path file) {
        OutputOption o = new OutputOption();
        o.file = file;
        return o;
    }

    /** The file the report goes to, or null for stdout. */
    public Path file() {
        return file;
    }

    /** Whether the report goes to stdout. */
    public boolean toStdout() {
        return file == null;
    }

    /** Whether the output file's name ends with {@code extension} (e.g. {@code ".json"}), ignoring case. */
    public boolean hasExtension(String extension) {
        return file != null && file.getFileName() != null
                && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(extension);
    }

    /** Whether the report is JSON: asked for with {@code --json}, or a {@code .json} output file. */
    public boolean json(boolean jsonAsked) {
        return jsonAsked || hasExtension(".json");
    }

    /**
     * Fails now, before any tracing, when the report could not be written later: the output is a
     * directory, or its directory is missing or not writable.
     */
    public void check() {
        if (file == null) return;
        if (Files.isDirectory(file)) throw new JhtraceException(Failure.BAD_INPUT, "cannot write the report to " + file + ": it is a directory");
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new JhtraceException(Failure.BAD_INPUT, "cannot write the report to " + file + ": no directory " + dir);
        if (!Files.isWritable(dir)) throw new JhtraceException(Failure.PERMISSION_DENIED, "cannot write the report to " + file + ": " + dir + " is not writable");
    }

    /** Writes the report, ending with a newline, to the file (atomically, owner-only) or to {@code out}. */
    public void write(String report, PrintWriter out) {
        String text = report.endsWith("\n") ? report : report + "\n";
        if (file == null) {
            out.print(text);
            out.flush();
        } else {
            CaptureFiles.writeAtomically(file, text);
        }
    }
}
