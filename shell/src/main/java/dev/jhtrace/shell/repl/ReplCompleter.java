package dev.jhtrace.shell.repl;

import dev.jhtrace.model.HandleTable;
import dev.jhtrace.shell.api.Target;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Tab completion from the picocli model: command names, then each command's options, and for
 * arguments by their label: processes (PID, PID|NAME), handle types (TYPE), snapshot names
 * (SNAPSHOT), groupings (KEY), command names (help) and file paths (FILE).
 */
final class ReplCompleter implements Completer {
    private static final List<String> COMMON_TYPES = List.of("File", "Socket", "Pipe", "Event", "Key", "Thread", "Mutant", "Semaphore");
    private final CommandLine root;
    private final ReplContext ctx;
    private final Supplier<Boolean> groovyMode;
    private final Completer files = new Completers.FileNameCompleter();

    ReplCompleter(CommandLine root, ReplContext ctx, Supplier<Boolean> groovyMode) {
        this.root = root;
        this.ctx = ctx;
        this.groovyMode = groovyMode;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (groovyMode.get() || line.line().startsWith(ReplCommandLine.GROOVY_PREFIX)) return;
        List<String> words = line.words();
        int index = line.wordIndex();
        if (index == 0) {
            for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
                String[] desc = e.getValue().getCommandSpec().usageMessage().description();
                candidates.add(new Candidate(e.getKey(), e.getKey(), null, desc.length == 0 ? null : desc[0], null, null, true));
            }
            candidates.add(new Candidate(":groovy", ":groovy", null, "switch to Groovy mode", null, null, true));
            candidates.add(new Candidate(ReplCommandLine.GROOVY_PREFIX, ReplCommandLine.GROOVY_PREFIX, null, "evaluate one line of Groovy", null, null, false));
            return;
        }
        CommandLine sub = root.getSubcommands().get(words.get(0));
        if (sub == null) return;
        CommandSpec spec = sub.getCommandSpec();
        String current = line.word();
        ArgSpec expected = expected(spec, words.subList(1, index));
        if (current.startsWith("-") || expected == null) {
            for (OptionSpec o : spec.options()) {
                for (String n : o.names()) candidates.add(new Candidate(n, n, null, first(o.description()), null, null, o.arity().max() == 0));
            }
            if (expected == null || current.startsWith("-")) return;
        }
        String label = expected.paramLabel().replaceAll("[<>]", "");
        switch (label) {
            case "PID" -> Processes.list().forEach(p -> candidates.add(new Candidate(words.get(0).startsWith(".") ? "0n" + p.pid() : String.valueOf(p.pid()),
                    String.valueOf(p.pid()), null, p.name(), null, null, true)));
            case "PID|NAME", "TEXT" -> {
                for (Processes.Info p : Processes.list()) {
                    candidates.add(new Candidate(String.valueOf(p.pid()), String.valueOf(p.pid()), "pids", p.name(), null, null, true));
                }
                // the names attach NAME accepts, by the live engine's own rules (Linux: comm and argv[0])
                attachableNames().forEach(n -> candidates.add(new Candidate(n, n, "names", null, null, null, true)));
            }
            case "TYPE" -> types().forEach(t -> candidates.add(new Candidate(t, t, null, null, null, null, true)));
            case "SNAPSHOT" -> snapshots().forEach(s -> candidates.add(new Candidate(s, s, null, null, null, null, true)));
            case "KEY" -> List.of("stack", "type", "module", "function").forEach(k -> candidates.add(new Candidate(k)));
            case "COMMAND" -> root.getSubcommands().keySet().forEach(k -> candidates.add(new Candidate(k)));
            case "FILE" -> files.complete(reader, line, candidates);
            default -> { }
        }
    }

    /** The option parameter or positional parameter the next word fills, or null when only options can follow. */
    private static ArgSpec expected(CommandSpec spec, List<String> before) {
        int positional = 0;
        for (int i = 0; i < before.size(); i++) {
            OptionSpec o = spec.findOption(before.get(i));
            if (o == null) {
                positional++;
            } else if (o.arity().min() > 0) {
                if (i == before.size() - 1) return o;
                i++; // its parameter
            }
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.index().min() <= positional && positional <= p.index().max()) return p;
        }
        return null;
    }

    private Set<String> attachableNames() {
        try {
            return ctx.api().processNames();
        } catch (RuntimeException noEngine) {
            // completion must not fail: without a live engine, offer the executables' names
            Set<String> names = new LinkedHashSet<>();
            Processes.list().forEach(p -> names.add(p.name()));
            return names;
        }
    }

    private Set<String> types() {
        Set<String> types = new LinkedHashSet<>();
        Target t = ctx.api().getCurrent();
        if (t != null) {
            try {
                HandleTable table = t.handles().getTable();
                table.countsByType().keySet().forEach(types::add);
            } catch (RuntimeException unreadable) {
                // completion must not fail: fall back to the common types
            }
        }
        types.addAll(COMMON_TYPES);
        types.remove(HandleTable.UNKNOWN_TYPE);
        return types;
    }

    private List<String> snapshots() {
        Target t = ctx.api().getCurrent();
        return t == null ? List.of() : t.getHtrace().getSnapshots().stream().map(s -> s.name()).distinct().toList();
    }

    private static String first(String[] lines) {
        return lines.length == 0 ? null : lines[0];
    }
}
