package dev.jhtrace.gdb.mi;

/**
 * One line of GDB/MI output.
 * See the GDB manual, "GDB/MI Output Syntax".
 */
public sealed interface MiRecord permits MiRecord.Result, MiRecord.Async, MiRecord.Stream, MiRecord.Prompt {

    /**
     * {@code [token]^class[,results]}: the answer to a command.
     *
     * @param token       the command's token, or -1 when it had none
     * @param resultClass {@code done}, {@code running}, {@code connected}, {@code error} or {@code exit}
     * @param results     the results
     */
    record Result(long token, String resultClass, MiTuple results) implements MiRecord {
        public boolean isError() {
            return "error".equals(resultClass);
        }

        /** The {@code msg} of an {@code ^error}, else null. */
        public String errorMessage() {
            return isError() ? results.string("msg", "(no message)") : null;
        }
    }

    /**
     * {@code [token]*class,...} (exec), {@code +class,...} (status) or {@code =class,...} (notify).
     *
     * @param token      token, or -1
     * @param kind       {@code '*'}, {@code '+'} or {@code '='}
     * @param asyncClass e.g. {@code stopped}, {@code running}, {@code thread-created}
     * @param results    the results
     */
    record Async(long token, char kind, String asyncClass, MiTuple results) implements MiRecord {
    }

    /**
     * {@code ~"..."} (console), {@code @"..."} (target) or {@code &"..."} (log).
     *
     * @param kind {@code '~'}, {@code '@'} or {@code '&'}
     * @param text the decoded text
     */
    record Stream(char kind, String text) implements MiRecord {
    }

    /** The {@code (gdb) } prompt that ends a batch of output. */
    record Prompt() implements MiRecord {
    }
}
