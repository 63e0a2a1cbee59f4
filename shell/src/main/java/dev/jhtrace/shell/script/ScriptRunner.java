package dev.jhtrace.shell.script;

import dev.jhtrace.shell.api.Jhtrace;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import org.codehaus.groovy.control.CompilerConfiguration;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Compiles and runs Groovy against a {@link Jhtrace} object: whole script files ({@code jhtrace script})
 * and single lines (the REPL's Groovy mode, where variables assigned without {@code def} persist).
 */
public final class ScriptRunner {
    private final Jhtrace api;
    private final Binding binding;
    private final GroovyShell shell;

    public ScriptRunner(Jhtrace api, PrintWriter out) {
        this.api = api;
        this.binding = new Binding();
        binding.setVariable("jhtrace", api);
        binding.setVariable("out", out);
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(JhtraceScript.class.getName());
        config.addCompilationCustomizers(new InterruptibleSleep());
        this.shell = new GroovyShell(ScriptRunner.class.getClassLoader(), binding, config);
    }

    public Jhtrace api() {
        return api;
    }

    /** Runs a script file with arguments; failures are thrown as they are (see {@link ScriptErrors}). */
    public Object runFile(Path file, List<String> args) throws IOException {
        if (!Files.isRegularFile(file)) throw new JhtraceException(Failure.BAD_INPUT, "no such script: " + file);
        binding.setVariable("args", args.toArray(String[]::new));
        Script script = shell.parse(file.toFile());
        return script.run();
    }

    /** Evaluates one piece of Groovy in the shared binding (the REPL's Groovy mode). */
    public Object evaluate(String code) {
        if (!binding.hasVariable("args")) binding.setVariable("args", new String[0]);
        return shell.evaluate(code, "groovy.groovy");
    }
}
