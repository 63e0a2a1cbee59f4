package dev.jhtrace.shell.cli;

import dev.jhtrace.spi.TraceOptions;
import picocli.CommandLine.Option;

/** The Windows opt-in to handle tracing's side effect, shared by the commands that trace a running process. */
public final class TracingConsent {
    @Option(names = "--accept-invalid-handle-exceptions",
            description = {"Windows: enabling handle tracing makes the target raise STATUS_INVALID_HANDLE when it uses a bad handle,",
                    "which can crash a service that closes stale handles. Required to trace a running process there."})
    boolean accepted;

    /** {@code options} with the consent given on the command line (the engine checks it when tracing is turned on). */
    TraceOptions applyTo(TraceOptions options) {
        return options.withSideEffectsAccepted(accepted);
    }
}
