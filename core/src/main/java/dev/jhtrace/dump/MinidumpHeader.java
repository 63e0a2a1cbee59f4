package dev.jhtrace.dump;

import java.time.Instant;

/**
 * The MINIDUMP_HEADER of a dump.
 *
 * @param version               the documented format version (low 16 bits of Version, always 0xA793)
 * @param implementationVersion the writer's own high 16 bits of Version (0 for Crashpad, non-zero for dbghelp)
 * @param numberOfStreams       entries in the stream directory
 * @param streamDirectoryRva    file offset of the stream directory
 * @param timeDateStamp         when the dump was written, seconds since 1970 (0 when unknown)
 * @param flags                 the MINIDUMP_TYPE flags the dump was written with
 */
public record MinidumpHeader(int version, int implementationVersion, long numberOfStreams, long streamDirectoryRva,
                             long timeDateStamp, long flags) {

    /** MiniDumpWithHandleData: the writer was asked for handle data. */
    public static final long WITH_HANDLE_DATA = 0x4;

    /** When the dump was written, or null when the header does not say. */
    public Instant time() {
        return timeDateStamp == 0 ? null : Instant.ofEpochSecond(timeDateStamp);
    }
}
