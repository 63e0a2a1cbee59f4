package dev.jhtrace.dbgeng.nt;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;

/**
 * Runs an ntdll query whose result size is unknown: start with a guess, and while the call answers
 * STATUS_INFO_LENGTH_MISMATCH (or BUFFER_TOO_SMALL / BUFFER_OVERFLOW), retry with the size it asked
 * for, or double, whichever is larger. The buffer is zeroed before every call, because some classes
 * return success without writing every field. Bounded by a maximum size and attempt count, so a
 * misbehaving call can neither loop forever nor exhaust memory.
 */
public final class GrowingQuery {

    /** One call of the query. */
    @FunctionalInterface
    public interface Call {
        /** Calls ntdll with {@code buffer} of {@code length} bytes, returning the NTSTATUS. */
        int call(Pointer buffer, int length, IntByReference returnLength);
    }

    /**
     * The buffer of a successful query.
     *
     * @param memory the buffer, {@code status} its status
     * @param length the returned length (the buffer size when the call does not say)
     * @param status the final status (a success code)
     */
    public record Result(Memory memory, long length, int status) {
    }

    private final int initialBytes;
    private final long maxBytes;
    private final int maxAttempts;

    /**
     * @param initialBytes first buffer size
     * @param maxBytes     largest buffer tried; bigger requests fail with a clear error
     * @param maxAttempts  calls made at most (the size needed can grow between calls)
     */
    public GrowingQuery(int initialBytes, long maxBytes, int maxAttempts) {
        if (initialBytes < 1 || maxBytes < initialBytes || maxAttempts < 1) throw new IllegalArgumentException("bad query limits");
        this.initialBytes = initialBytes;
        this.maxBytes = maxBytes;
        this.maxAttempts = maxAttempts;
    }

    /** True for the statuses that mean "give me a bigger buffer". */
    public static boolean isTooSmall(int status) {
        return status == NtStatus.STATUS_INFO_LENGTH_MISMATCH || status == NtStatus.STATUS_BUFFER_TOO_SMALL
                || status == NtStatus.STATUS_BUFFER_OVERFLOW;
    }

    /**
     * Runs the query. Non-growth failures are returned as {@link Outcome#failed} so callers can give
     * meaning to particular statuses (e.g. "tracing is off").
     *
     * @param what what is being queried, for error messages
     */
    public Outcome run(String what, Call call) {
        long size = initialBytes;
        int status = NtStatus.STATUS_UNSUCCESSFUL;
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            Memory memory = new Memory(size);
            memory.clear();
            IntByReference returned = new IntByReference(0);
            status = call.call(memory, (int) size, returned);
            if (NtStatus.isSuccess(status) && status != NtStatus.STATUS_BUFFER_OVERFLOW) {
                long length = returned.getValue() > 0 && returned.getValue() <= size ? returned.getValue() : size;
                return new Outcome(new Result(memory, length, status), status);
            }
            if (!isTooSmall(status)) return new Outcome(null, status);
            long asked = returned.getValue() & 0xFFFF_FFFFL;
            long next = Math.max(asked + asked / 8, size * 2); // headroom: the size can grow before the next call
            if (size >= maxBytes) break;
            size = Math.min(next, maxBytes);
        }
        throw new JhtraceException(Failure.OTHER, what + " needs more than " + maxBytes + " bytes or kept changing size ("
                + NtStatus.describe(status) + " after " + maxAttempts + " attempts)");
    }

    /**
     * What a query gave.
     *
     * @param result the buffer on success, else null
     * @param status the final NTSTATUS
     */
    public record Outcome(Result result, int status) {
        public boolean ok() {
            return result != null;
        }

        /** The result, or the status as a readable error. */
        public Result orThrow(String what) {
            if (result == null) throw NtStatus.error(what, status);
            return result;
        }
    }
}
