package dev.jhtrace.shell;

import dev.jhtrace.shell.cli.QuickHandles;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * The run the launchers record a class-data-sharing archive from ({@code java -XX:ArchiveClassesAtExit=...
 * -cp jhtrace.jar dev.jhtrace.shell.CdsTraining}): the commands whose start-up matters most — {@code --version},
 * {@code --help}, {@code handles} as text and JSON on this very process — run once each, their output
 * discarded, so every class they load is in the archive and later starts map it instead of loading them.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws java.io.IOException {
        // jhtrace --version as the jar's main class answers it, without picocli
        EntryPoint.printVersion(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        String self = String.valueOf(ProcessHandle.current().pid());
        String[][] runs = {{"--version"}, {"--help"}, {"handles", "--help"}, {"handles", "--pid", self}, {"handles", "--pid", self, "--json"}};
        for (String[] run : runs) {
            PrintWriter discard = new PrintWriter(Writer.nullWriter());
            // a command that fails here (no /proc, say) is only a class not archived: the archive is still good
            Main.commandLine(discard, discard).execute(run);
            // and as the jar's main class runs the plain handles forms, without picocli
            QuickHandles quick = QuickHandles.parse(run);
            if (quick != null) quick.run(discard, discard);
        }
    }
}
