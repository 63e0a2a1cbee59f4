package dev.jhtrace.shell.script;

/** Thrown by a script's {@code exit(code)}: ends the script with that exit code and no error message. */
public final class ScriptExit extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public ScriptExit(int code) {
        super("exit " + code, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
