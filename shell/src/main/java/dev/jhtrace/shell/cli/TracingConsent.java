package dev.jhtrace.shell.cli;

import picocli.CommandLine.Option;

/** The Windows opt-in to handle tracing's side effect, shared by the commands that trace a running process. */
public final class TracingConsent {
    /** The system property the Windows engine reads its consent from. */
    static final String PROPERTY = "jhtrace.dbgeng.acceptInvalidHandleExceptions";

    @Option(names = "--accept-invalid-handle-exceptions",
            description = {"Windows: enabling handle tracing makes the target raise STATUS_INVALID_HANDLE when it uses a bad handle,",
                    "which can crash a service that closes stale handles. Required to trace a running process there."})
    boolean accepted;

    /** Passes the consent on to the engine; call before the engine is looked up. */
    void apply() {
        if (accepted) System.setProperty(PROPERTY, "true");
    }
}
