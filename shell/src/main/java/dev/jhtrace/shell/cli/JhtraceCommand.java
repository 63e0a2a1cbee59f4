package dev.jhtrace.shell.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code jhtrace} command. */
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
public final class JhtraceCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
    private boolean debug;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    public boolean debug() {
        return debug;
    }

    /** With no subcommand: the interactive shell. */
    @Override
    public Integer call() throws java.io.IOException {
        return dev.jhtrace.shell.repl.Repl.run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
