package dev.jhtrace.shell;

import dev.jhtrace.shell.cli.QuickHandles;
import dev.jhtrace.shell.cli.Version;
import dev.jhtrace.spi.Failure;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;

/**
 * The jar's main class: {@code jhtrace --version} answered here, the plain forms of {@code jhtrace handles} handed
 * to {@link QuickHandles}, everything else to {@link Main}. Apart from
 * {@code Main} because a class is verified as a whole when it is linked, and {@code Main}'s methods name picocli's
 * {@code CommandLine}, which the verifier then loads (a big class, from the jar: picocli's old class files cannot be
 * kept in the class-data-sharing archive). This class names no picocli type, so those runs load none.
 */
public final class EntryPoint {
    private EntryPoint() {
    }

    public static void main(String[] args) {
        if (isVersionOnly(args)) {
            try {
                System.exit(printVersion(System.out));
            } catch (IOException unreadable) {
                // picocli's path reports it as usual
            }
        }
        QuickHandles quick = QuickHandles.parse(args);
        if (quick != null) System.exit(quick.run(new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
        Main.main(args);
    }

    /** Whether the arguments ask only for the version ({@code --version} or {@code -V} alone). */
    static boolean isVersionOnly(String[] args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    /** Prints the version lines; the exit code: 0, or {@link Failure#OTHER}'s when stdout could not be written. */
    static int printVersion(PrintStream out) throws IOException {
        for (String line : Version.lines()) out.println(line);
        out.flush();
        return out.checkError() ? Failure.OTHER.exitCode() : 0;
    }
}
