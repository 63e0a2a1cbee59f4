package dev.jhtrace.shell.script;

import dev.jhtrace.shell.api.Jhtrace;
import dev.jhtrace.shell.api.Target;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import groovy.lang.Closure;
import groovy.lang.Script;

import java.util.List;
import java.util.Map;

/**
 * The base class of every jhtrace Groovy script and of the REPL's Groovy mode: its methods can be
 * called without a receiver. They delegate to the {@link Jhtrace} object bound as {@code jhtrace}.
 * <pre>
 * def p = attach(name: 'w3wp')
 * p.htrace.enable()
 * def s = p.htrace.snapshot()
 * sleep 60_000
 * p.htrace.diff(s).byStack().top(5).each { println it }
 * p.detach()
 * </pre>
 * Script arguments are in {@code args} (a {@code String[]}).
 */
public abstract class JhtraceScript extends Script {

    /** The API object this script works with. */
    public Jhtrace getJhtrace() {
        return (Jhtrace) getBinding().getVariable("jhtrace");
    }

    /** {@link Jhtrace#attach(Map)}: {@code attach(name: 'w3wp')}, {@code attach(pid: 1234, stackDepth: 32)}. */
    public Target attach(Map<String, ?> args) {
        return getJhtrace().attach(args);
    }

    /** {@link Jhtrace#attach(int)}. */
    public Target attach(int pid) {
        return getJhtrace().attach(pid);
    }

    /** {@link Jhtrace#attach(String)}: a pid or a process name. */
    public Target attach(String pidOrName) {
        return getJhtrace().attach(pidOrName);
    }

    /** {@link Jhtrace#attachAll()}: every process of the machine (perf); its {@code children} are the processes. */
    public Target attachAll() {
        return getJhtrace().attachAll();
    }

    /** {@link Jhtrace#launch(List)}: start a command under tracing. */
    public Target launch(List<String> command) {
        return getJhtrace().launch(command);
    }

    /** {@link Jhtrace#open(String)}: a dump or a saved session. */
    public Target open(String path) {
        return getJhtrace().open(path);
    }

    /** {@link Jhtrace#importWindbg(String...)}: WinDbg text logs with !htrace and !handle output. */
    public Target importWindbg(String... paths) {
        return getJhtrace().importWindbg(paths);
    }

    /** {@link Jhtrace#load(String)}: a saved session. */
    public Target load(String path) {
        return getJhtrace().load(path);
    }

    /** {@link Jhtrace#save(Target, String)}. */
    public void save(Target target, String path) {
        getJhtrace().save(target, path);
    }

    /** {@link Jhtrace#processes(String)}. */
    public List<Engine.ProcessInfo> processes(String name) {
        return getJhtrace().processes(name);
    }

    /** The current target (the last attached or opened, also from the REPL), or null. */
    public Target getTarget() {
        return getJhtrace().getCurrent();
    }

    /**
     * Runs the closure with tracing on, then disables tracing and detaches, even on an exception or Ctrl-C:
     * {@code withTracing(attach('demo-server')) { p -> ... }}.
     */
    public <T> T withTracing(Target target, Closure<T> body) throws Exception {
        return getJhtrace().withTracing(target, body::call);
    }

    /** As {@link #withTracing(Target, Closure)}, attaching first: {@code withTracing(name: 'w3wp') { p -> ... }}. */
    public <T> T withTracing(Map<String, ?> args, Closure<T> body) throws Exception {
        return getJhtrace().withTracing(args, body::call);
    }

    /**
     * Ends the script with this exit code (e.g. 3 when a leak was found, as {@code jhtrace leaks --fail-on-leak}).
     * {@code withTracing} blocks still disable and detach on the way out.
     */
    public void exit(int code) {
        throw new ScriptExit(code);
    }

    /** Ends the script with a usage error (exit code 2): {@code usage('find-leaks.groovy PID|NAME [SECONDS]')}. */
    public void usage(String synopsis) {
        throw new JhtraceException(Failure.BAD_INPUT, "usage: " + synopsis);
    }

    /** Ends the script with an error message and exit code 1. */
    public void fail(String message) {
        throw new JhtraceException(Failure.OTHER, message);
    }

    /** The checkout jhtrace runs from (where scripts/ and examples/ are), or the current directory. */
    public String getHome() {
        return java.nio.file.Path.of(System.getProperty("jhtrace.home", ".")).toAbsolutePath().normalize().toString();
    }

    /** Sleeps; Ctrl-C ends the sleep and the script (Groovy's own {@code sleep} would ignore it). */
    public void sleep(long millis) {
        getJhtrace().sleep(millis);
    }
}
