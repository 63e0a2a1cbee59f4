package dev.jhtrace.shell.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** The top-level {@code jhtrace} command with all its subcommands (see {@link JhtraceRoot} for a run that names one). */
@Command(name = "jhtrace",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Hunts handle and file-descriptor leaks: attach, trace, snapshot, diff, and say which code leaks what.",
                "With no command: the interactive shell (see jhtrace shell)."},
        subcommands = {ImportCommand.class, HandlesCommand.class, LeaksCommand.class, CaptureCommand.class, ReportCommand.class, DumpCommand.class, DoctorCommand.class,
                DemoCommand.class, ShellCommand.class, ScriptCommand.class, AutoComplete.GenerateCompletion.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  success", "  1  anything else", "  2  bad usage or unreadable input", "  3  a leak was found (leaks --fail-on-leak; capture and report)",
                "  4  target not found", "  5  permission denied", "  6  engine unavailable (gdb or dbgeng missing)"})
public final class JhtraceCommand extends JhtraceRoot {
}
