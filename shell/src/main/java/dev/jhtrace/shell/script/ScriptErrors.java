package dev.jhtrace.shell.script;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;
import org.codehaus.groovy.runtime.InvokerInvocationException;

/** Turns a script failure into one line naming the script's file and line, and an exit code. */
public final class ScriptErrors {
    private ScriptErrors() {
    }

    /** The one-line message: {@code find-leaks.groovy:12: no process named 'w3wp'}. */
    public static String message(Throwable failure, String scriptName) {
        Throwable t = unwrap(failure);
        if (t instanceof MultipleCompilationErrorsException c) {
            Message first = c.getErrorCollector().getErrors().isEmpty() ? null : c.getErrorCollector().getErrors().get(0);
            if (first instanceof SyntaxErrorMessage s) {
                SyntaxException se = s.getCause();
                return scriptName + ":" + se.getLine() + ":" + se.getStartColumn() + ": " + se.getOriginalMessage();
            }
            return scriptName + ": " + c.getMessage().lines().filter(l -> !l.isBlank()).skip(1).findFirst().orElse("does not compile");
        }
        String where = scriptName;
        for (StackTraceElement e : t.getStackTrace()) {
            if (scriptName.equals(e.getFileName()) && e.getLineNumber() > 0) {
                where = scriptName + ":" + e.getLineNumber();
                break;
            }
        }
        String text = t instanceof JhtraceException ? t.getMessage() : describe(t);
        return where + ": " + text;
    }

    /** The exit code: the JhtraceException's, else 1. */
    public static int exitCode(Throwable failure) {
        if (unwrap(failure) instanceof ScriptExit e) return e.code();
        return unwrap(failure) instanceof JhtraceException j ? j.failure().exitCode() : Failure.OTHER.exitCode();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        String first = m == null ? "" : m.lines().findFirst().orElse("");
        if (t instanceof groovy.lang.MissingPropertyException || t instanceof groovy.lang.MissingMethodException) return first;
        return t.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
    }

    /** True when the script ended itself with {@code exit(code)}: nothing to report. */
    public static boolean isExit(Throwable failure) {
        return unwrap(failure) instanceof ScriptExit;
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof InvokerInvocationException || t instanceof java.lang.reflect.InvocationTargetException) && t.getCause() != null) t = t.getCause();
        return t;
    }
}
