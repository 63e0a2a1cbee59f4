package dev.jhtrace.gdb.mi;

import java.util.List;

/**
 * gdb's answer to one command: the result record and the stream output printed before it.
 *
 * @param result  the {@code ^done/^running/^connected/^error/^exit} record
 * @param console {@code ~} console text printed while the command ran
 * @param log     {@code &} log text printed while the command ran (gdb's own messages, warnings)
 */
public record MiResponse(MiRecord.Result result, List<String> console, List<String> log) {
    public MiResponse {
        console = List.copyOf(console);
        log = List.copyOf(log);
    }

    public boolean isError() {
        return result.isError();
    }

    /** The results of the record. */
    public MiTuple results() {
        return result.results();
    }

    /** Console output joined. */
    public String consoleText() {
        return String.join("", console);
    }
}
