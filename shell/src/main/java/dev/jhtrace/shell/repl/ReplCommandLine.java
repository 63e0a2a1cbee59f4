package dev.jhtrace.shell.repl;

import dev.jhtrace.shell.script.ScriptErrors;
import dev.jhtrace.shell.script.ScriptRunner;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.codehaus.groovy.runtime.InvokerHelper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

/**
 * The REPL's commands as one picocli command tree (WinDbg's and the friendly ones), and the dispatch
 * of one typed line: a command, or Groovy after {@code groovy>}.
 */
public final class ReplCommandLine {
    /** Lines starting with this are Groovy. */
    public static final String GROOVY_PREFIX = "groovy>";
    private final ReplContext ctx;
    private final CommandLine root;
    private ScriptRunner groovy;

    @Command(name = "", description = "jhtrace shell commands (help COMMAND for details; Tab completes):",
            synopsisHeading = "", customSynopsis = {""}, commandListHeading = "%nCommands:%n",
            footer = {"", "Groovy: 'groovy> EXPR' evaluates one line; ':groovy' switches to Groovy mode (':commands' switches back).",
                    "WinDbg numbers are hex by default (0n123 is decimal). Ctrl-C interrupts a command; Ctrl-D or q leaves."})
    static final class Root {
    }

    /** The command tree acting on {@code ctx}. */
    public ReplCommandLine(ReplContext ctx) {
        this.ctx = ctx;
        Map<Class<?>, Object> instances = Map.of(
                WindbgCommands.class, new WindbgCommands(ctx), TargetCommands.class, new TargetCommands(ctx),
                LeakCommands.class, new LeakCommands(ctx), SessionCommands.class, new SessionCommands(ctx),
                ProcessCommands.class, new ProcessCommands(ctx));
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> cls) throws Exception {
                Object known = instances.get(cls);
                return known != null ? (K) known : CommandLine.defaultFactory().create(cls);
            }
        };
        root = new CommandLine(new Root(), factory);
        for (Class<?> cls : List.of(TargetCommands.class, WindbgCommands.class, ProcessCommands.class, LeakCommands.class, SessionCommands.class)) {
            for (Method m : CommandLine.getCommandMethods(cls, null)) {
                CommandLine sub = new CommandLine(m, factory);
                root.addSubcommand(sub.getCommandName(), sub, sub.getCommandSpec().aliases());
            }
        }
        root.addSubcommand("help", new CommandLine(new HelpCommand(), factory));
        // plain help text: picocli's own ANSI styling miscounts widths inside the line reader's terminal
        root.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        // the root has no name (commands are typed bare): drop the space picocli's synopsis puts before them
        for (CommandLine sub : root.getSubcommands().values()) {
            String synopsis = sub.getHelp().synopsis(0).strip();
            sub.getCommandSpec().usageMessage().customSynopsis(synopsis.replaceFirst("^Usage:\\s+", ""));
        }
        // picocli would call a command method on the parent's object (Root); call it on the object of its own class
        root.setExecutionStrategy(parsed -> {
            CommandLine.ParseResult last = parsed;
            while (last.hasSubcommand()) last = last.subcommand();
            if (last.commandSpec().userObject() instanceof Method m) {
                try {
                    Object r = m.invoke(instances.get(m.getDeclaringClass()), last.commandSpec().args().stream().map(a -> a.getValue()).toArray());
                    return r instanceof Integer code ? code : 0;
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof Error r) throw r;
                    // picocli hands the cause of an ExecutionException to the exception handler: one line, no stack
                    throw new CommandLine.ExecutionException(last.commandSpec().commandLine(), String.valueOf(e.getCause()), e.getCause());
                } catch (IllegalAccessException e) {
                    throw new CommandLine.ExecutionException(last.commandSpec().commandLine(), e.toString(), e);
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        root.setOut(ctx.out());
        root.setErr(ctx.err());
        root.setCaseInsensitiveEnumValuesAllowed(true);
        root.setUnmatchedOptionsArePositionalParams(false);
        root.setParameterExceptionHandler((ex, args) -> {
            if (ex.getCommandLine() == root && ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
                // a word that names no command: say so, not picocli's "Unmatched argument at index 0"
                ctx.err().println(ctx.red("error: unknown command '" + u.getUnmatched().get(0) + "' \u2014 `help` lists them"));
                ctx.err().flush();
                return Failure.BAD_INPUT.exitCode();
            }
            ctx.err().println(ctx.red("error: " + ex.getMessage()));
            CommandSpec spec = ex.getCommandLine().getCommandSpec();
            if (spec != root.getCommandSpec()) ctx.err().println("usage: " + ex.getCommandLine().getHelp().synopsis(0).strip());
            else ctx.err().println("type help for the commands");
            ctx.err().flush();
            return Failure.BAD_INPUT.exitCode();
        });
        root.setExecutionExceptionHandler((ex, cl, parsed) -> fail(ex.getMessage() == null || !(ex instanceof JhtraceException) ? internal(ex) : ex.getMessage(), code(ex)));
    }

    /** The picocli model of the commands (for completion and help). */
    public CommandLine commandLine() {
        return root;
    }

    /** The context the commands act on. */
    public ReplContext context() {
        return ctx;
    }

    /** Runs one command given as words; returns its exit code (0 success). */
    public int execute(List<String> words) {
        if (words.isEmpty()) return 0;
        return root.execute(windbgProcessPrefix(windbgThreadPrefix(words)).toArray(String[]::new));
    }

    private static final java.util.regex.Pattern PROCESS = java.util.regex.Pattern.compile("^\\|(\\d+)?\\s*(s)?$");

    /** WinDbg's {@code |}, {@code |N} and {@code |Ns} (also with spaces): the {@code |} command with N and s as words. */
    static List<String> windbgProcessPrefix(List<String> words) {
        if (!words.get(0).startsWith("|")) return words;
        java.util.regex.Matcher m = PROCESS.matcher(String.join(" ", words).replaceFirst("^\\|\\s*", "|"));
        if (!m.matches()) return words;
        List<String> out = new java.util.ArrayList<>(List.of("|"));
        if (m.group(1) != null) out.add(m.group(1));
        if (m.group(2) != null) out.add("s");
        return out;
    }

    private static final java.util.regex.Pattern THREAD_STACK = java.util.regex.Pattern.compile("^~(\\d+)\\s*k$");

    /** WinDbg's {@code ~Nk} (and {@code ~N k}): the stack of thread N, which is {@code k N} here. */
    static List<String> windbgThreadPrefix(List<String> words) {
        String joined = words.size() == 2 && words.get(1).equals("k") ? words.get(0) + "k" : words.get(0);
        java.util.regex.Matcher m = THREAD_STACK.matcher(joined);
        if (!m.matches() || (words.size() != 1 && !(words.size() == 2 && words.get(1).equals("k")))) return words;
        return List.of("k", m.group(1));
    }

    /** Evaluates Groovy in the shared session, printing a non-null result as {@code ==> value}. */
    public int evaluateGroovy(String code) {
        if (code.isBlank()) return 0;
        if (groovy == null) groovy = new ScriptRunner(ctx.api(), ctx.out());
        int warned = ctx.api().warnings().size();
        try {
            Object result = groovy.evaluate(code);
            ctx.api().warnings().stream().skip(warned).forEach(w -> ctx.err().println("warning: " + w));
            if (result != null) ctx.print("==> " + InvokerHelper.toString(result));
            return 0;
        } catch (Exception | LinkageError | StackOverflowError e) {
            if (ScriptErrors.isExit(e)) return ScriptErrors.exitCode(e);
            return fail(ScriptErrors.message(e, "groovy.groovy").replaceFirst("^groovy\\.groovy:\\d+(:\\d+)?: ", ""), ScriptErrors.exitCode(e));
        }
    }

    /** True once quit was asked for. */
    public boolean quitRequested() {
        return ctx.quitRequested();
    }

    private int fail(String message, int code) {
        ctx.err().println(ctx.red("error: " + message));
        ctx.err().flush();
        return code;
    }

    private static String internal(Exception e) {
        if (e instanceof JhtraceException) return String.valueOf(e.getMessage());
        String m = e.getMessage();
        return "internal error: " + e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    private static int code(Exception e) {
        return e instanceof JhtraceException j ? j.failure().exitCode() : Failure.OTHER.exitCode();
    }
}
