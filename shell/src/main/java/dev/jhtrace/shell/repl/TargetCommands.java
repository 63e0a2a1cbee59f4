package dev.jhtrace.shell.repl;

import dev.jhtrace.report.HandleListing;
import dev.jhtrace.report.LeakReportText;
import dev.jhtrace.shell.api.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

import java.util.List;

/** Attaching, opening and listing: the friendly forms. */
final class TargetCommands {
    private final ReplContext ctx;

    TargetCommands(ReplContext ctx) {
        this.ctx = ctx;
    }

    @Command(name = "attach", description = {"Attach to a process by id or name (Tab lists them). The process is not stopped.",
            "attach --all traces every process of the machine (perf engine) at once: `|` lists those seen, `|N s` makes one current."})
    void attach(@Option(names = "--all", description = "Every process of the machine (perf engine).") boolean all,
                @Parameters(arity = "0..1", paramLabel = "PID|NAME", description = "Process id (decimal) or name.") String target) {
        if (all == (target != null)) throw new JhtraceException(Failure.BAD_INPUT, "attach: give a PID or NAME, or --all");
        if (all) {
            Target t = ctx.api().attachAll();
            t.getHtrace().enable();
            ctx.print("tracing every process (" + t.getEngine() + "); `|` lists the processes seen, `|N s` makes one current");
            return;
        }
        Target t = ctx.api().attach(target);
        ctx.print("attached to " + t);
    }

    /**
     * WinDbg's {@code |}: the processes of the current target's group (the target and the children traced through it,
     * or every process of {@code attach --all}), {@code .} marking the current one; {@code |N s} makes process N current.
     */
    @Command(name = "|", description = {"The processes traced with the current target (WinDbg's |): its forked children, or every process of attach --all.",
            "|N s (or |Ns) makes process N current, for !htrace -diff, handles and the rest."})
    void processes(@Parameters(arity = "0..2", paramLabel = "N s", description = "A process's number, and s to make it current.") List<String> args) {
        Target current = ctx.target();
        Target group = current.getParent() != null ? current.getParent() : current;
        List<Target> members = new java.util.ArrayList<>();
        if (group.getPid() != 0) members.add(group); // the machine of --all is no process
        members.addAll(group.getChildren());
        if (args != null && !args.isEmpty()) {
            int n;
            try {
                n = Integer.parseInt(args.get(0));
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || n >= members.size()) throw new JhtraceException(Failure.BAD_INPUT, "|: no process " + args.get(0) + " (| lists " + members.size() + ")");
            if (args.size() == 2 && !args.get(1).equals("s")) throw new JhtraceException(Failure.BAD_INPUT, "|: use |N s to make process N current");
            if (args.size() == 2) {
                Target chosen = members.get(n);
                // a child diffs from its first traced event (what it opened since and still holds)
                if (chosen.getParent() != null && chosen.getHtrace().getSnapshots().isEmpty()) chosen.getHtrace().enable();
                ctx.api().setCurrent(chosen);
                ctx.print("current: " + chosen);
                return;
            }
            members = List.of(members.get(n));
        }
        if (members.isEmpty()) {
            ctx.print("no processes seen yet");
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < members.size(); i++) {
            Target m = members.get(i);
            sb.append(String.format("%s%3d  id: %x  (0n%d)  name: %s%s%n", m == current ? "." : " ", i, m.getPid(), m.getPid(),
                    m.getName() == null ? "?" : m.getName(), m.isAlive() ? "" : "  (exited)"));
        }
        ctx.print(sb.toString());
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
