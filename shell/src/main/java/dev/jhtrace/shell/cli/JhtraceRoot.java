package dev.jhtrace.shell.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The top-level {@code jhtrace} command without its subcommands: what a run that names one command
 * needs. Building picocli's model of every subcommand costs a noticeable part of a short run's start-up,
 * so such a run adds only the command it names (see {@code Main}); {@link JhtraceCommand} is the whole tree,
 * for help, completion, man pages and anything else that lists the commands.
 */
@Command(name = "jhtrace", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
public class JhtraceRoot implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
    private boolean debug;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    /** Whether {@code --debug} was given. */
    public boolean debug() {
        return debug;
    }

    /** With no subcommand: the interactive shell. */
    @Override
    public Integer call() throws java.io.IOException {
        return dev.jhtrace.shell.repl.Repl.run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
