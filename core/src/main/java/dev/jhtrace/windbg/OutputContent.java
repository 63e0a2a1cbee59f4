package dev.jhtrace.windbg;

/** What one debugger command printed, typed by the kind of output recognized. */
public sealed interface OutputContent permits HtraceOutput, HandleOutput, OtherOutput {
}
