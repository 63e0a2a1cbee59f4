package dev.jhtrace.gdb.mi;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

/** gdb printed something that is not GDB/MI output (or a record was not of the expected shape). */
public class MiParseException extends JhtraceException {
    private static final long serialVersionUID = 1L;

    public MiParseException(String message) {
        super(Failure.OTHER, message);
    }
}
