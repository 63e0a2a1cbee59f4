package dev.jhtrace.shell.api;

import dev.jhtrace.model.HandleTable;

/**
 * A source that is a record (a saved session, a WinDbg log) rather than a live process. Its
 * {@code handles()} says the process is not there (so that a diff goes by the trace, as for an exited
 * process), while the table it recorded is still shown by {@code handles}, {@code !handle} and scripts.
 */
interface RecordedSource {
    /** The handle table the record holds. */
    HandleTable recordedTable();
}
