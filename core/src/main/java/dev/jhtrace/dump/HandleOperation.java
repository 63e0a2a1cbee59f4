package dev.jhtrace.dump;

import java.util.List;

/**
 * One AVRF_HANDLE_OPERATION of the HandleOperationListStream (18).
 *
 * @param handle          the handle value
 * @param processId       the process the operation was made in
 * @param threadId        the thread that made it
 * @param operationType   1 OPEN, 2 CLOSE, 3 BADREF
 * @param backTraceIndex  the trace database index the writer recorded (kept for reference)
 * @param returnAddresses the stack, innermost first, {@code Depth} entries long
 */
public record HandleOperation(long handle, int processId, int threadId, int operationType, long backTraceIndex,
                              List<Long> returnAddresses) {
    public static final int OPEN = 1;
    public static final int CLOSE = 2;
    public static final int BADREF = 3;

    public HandleOperation {
        returnAddresses = List.copyOf(returnAddresses);
    }
}
