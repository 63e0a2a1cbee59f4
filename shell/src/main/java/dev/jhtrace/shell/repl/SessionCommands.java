package dev.jhtrace.shell.repl;

import dev.jhtrace.shell.api.Target;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** Saving and loading sessions, symbol settings, leaving. */
final class SessionCommands {
    private final ReplContext ctx;

    SessionCommands(ReplContext ctx) {
        this.ctx = ctx;
    }

    @Command(name = "save", description = "Save the current target's snapshots and trace to a JSON file (load it later, anywhere).")
    void save(@Parameters(paramLabel = "FILE", description = "The file to write.") String file) {
        Target t = ctx.target();
        ctx.api().save(t, file);
        ctx.print("saved " + t.getHtrace().getSnapshots().size() + " snapshots and the trace to " + file);
    }

    @Command(name = "load", description = "Load a saved session: its snapshots and trace become the current target, to diff offline.")
    void load(@Parameters(paramLabel = "FILE", description = "A file written by save.") String file) {
        Target t = ctx.api().load(file);
        ctx.print("loaded " + t + ": snapshots " + t.getHtrace().getSnapshots().stream().map(s -> "'" + s.name() + "'").toList()
                + ", " + t.getHtrace().log().size() + " trace events");
    }

    @Command(name = "symbols", description = {"symbols                 show the symbol search path",
            "symbols path DIR...     set it (directories with debug info; used by targets attached from now on)"})
    void symbols(@Parameters(arity = "0..*", paramLabel = "ARG", description = "path DIR...") List<String> args) {
        if (args != null && !args.isEmpty()) {
            if (!args.get(0).equals("path")) throw new JhtraceException(Failure.BAD_INPUT, "symbols: unknown subcommand '" + args.get(0) + "' (use: symbols path DIR...)");
            ctx.api().setSymbolPath(args.subList(1, args.size()));
        }
        List<String> path = ctx.api().getSymbolPath();
        ctx.print("symbol path: " + (path.isEmpty() ? "(engine default)" : String.join(java.io.File.pathSeparator, path)));
        if (!path.isEmpty()) {
            ctx.print("note: used by targets attached from now on (gdb: separate debug files by build-id or debuglink; dbgeng: the symbol path)");
        }
    }

    @Command(name = "quit", aliases = {"q", "exit"}, description = "Detach from every target and leave (Ctrl-D too).")
    void quit() {
        ctx.requestQuit();
    }
}
