package dev.jhtrace.proc;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.nio.file.Files;
import java.nio.file.Path;

/** What both Linux engines check before they launch a command: that the shell's exec would find it. */
public final class CommandCheck {
    private CommandCheck() {
    }

    /**
     * Fails with BAD_INPUT, as the shell would fail its exec, when {@code command} names no executable file:
     * a path (with a slash) that is not one, or a bare name found in no folder of the PATH.
     */
    public static void checkRunnable(String command, java.io.File directory) {
        resolve(command, directory);
    }

    /**
     * The file {@code command} runs: itself when it names a path (relative to {@code directory}, or the working
     * directory when null), else the first executable of that name on the PATH; bad input (one line) when there is none.
     */
    public static Path resolve(String command, java.io.File directory) {
        if (command.contains("/")) {
            Path file = directory == null || command.startsWith("/") ? Path.of(command) : directory.toPath().resolve(command);
            if (!Files.exists(file)) throw new JhtraceException(Failure.BAD_INPUT, "cannot launch " + command + ": no such file");
            if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
                throw new JhtraceException(Failure.BAD_INPUT, "cannot launch " + command + ": not an executable file");
            }
            return file;
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String folder : path.split(":")) {
            Path file = Path.of(folder.isEmpty() ? "." : folder).resolve(command);
            if (Files.isRegularFile(file) && Files.isExecutable(file)) return file;
        }
        throw new JhtraceException(Failure.BAD_INPUT, "cannot launch " + command + ": not found on the PATH");
    }
}
