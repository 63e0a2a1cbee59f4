package dev.jhtrace.shell.repl;

import dev.jhtrace.report.HandleListing;
import dev.jhtrace.report.LeakReportText;
import dev.jhtrace.shell.api.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** Attaching, opening and listing: the friendly forms. */
final class TargetCommands {
    private final ReplContext ctx;

    TargetCommands(ReplContext ctx) {
        this.ctx = ctx;
    }

    @Command(name = "attach", description = "Attach to a process by id or name (Tab lists them). The process is not stopped.")
    void attach(@Parameters(paramLabel = "PID|NAME", description = "Process id (decimal) or name.") String target) {
        Target t = ctx.api().attach(target);
        ctx.print("attached to " + t);
    }

    @Command(name = "detach", description = "Detach from the current target; the process keeps running.")
    void detach() {
        Target t = ctx.target();
        t.detach();
        ctx.print("detached from " + t);
    }

    @Command(name = "open", description = "Open a dump file (.dmp) or a saved session (.json).")
    void open(@Parameters(paramLabel = "FILE", description = "The file.") String file) {
        Target t = ctx.api().open(file);
        ctx.print("opened " + t);
    }

    @Command(name = "targets", description = "The targets attached or opened; the last one is current.")
    void targets() {
        List<Target> all = ctx.api().getTargets();
        if (all.isEmpty()) {
            ctx.print("no targets");
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (Target t : all) sb.append(t == ctx.api().getCurrent() ? "* " : "  ").append(t).append('\n');
        ctx.print(sb.toString());
    }

    @Command(name = "handles", description = "The handles the current target has open: counts by type, then each handle.")
    void handles(@Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "Only handles of this type.") String type) {
        HandleListing listing = ctx.target().listing();
        if (type != null) listing = listing.ofType(type);
        ctx.print(LeakReportText.render(listing));
    }

    @Command(name = "ps", description = "Processes whose name contains TEXT (all when omitted): pid and name.")
    void ps(@Parameters(arity = "0..1", paramLabel = "TEXT", description = "Part of a process name.") String text) {
        StringBuilder sb = new StringBuilder();
        for (Processes.Info p : Processes.list()) {
            if (text == null || p.name().contains(text)) sb.append(String.format("%8d  %s%n", p.pid(), p.name()));
        }
        ctx.print(sb.length() == 0 ? "no matching process" : sb.toString());
    }
}
