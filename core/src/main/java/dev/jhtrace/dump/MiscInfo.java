package dev.jhtrace.dump;

import java.time.Duration;
import java.time.Instant;

/**
 * The MiscInfoStream (15): the process id and times, each present only when the stream's flags say
 * the writer filled it in.
 *
 * @param flags1            MINIDUMP_MISC1_* flags
 * @param processId         the process id, or null when not valid
 * @param processCreateTime when the process started, or null when not valid
 * @param processUserTime   user-mode CPU time, or null when not valid
 * @param processKernelTime kernel-mode CPU time, or null when not valid
 */
public record MiscInfo(long flags1, Integer processId, Instant processCreateTime, Duration processUserTime,
                       Duration processKernelTime) {
}
