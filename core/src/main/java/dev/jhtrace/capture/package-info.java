/**
 * Unattended capture: the handle table and the outstanding stacks recorded at intervals into
 * append-only, crash-safe JSON-lines files ({@link dev.jhtrace.capture.SegmentWriter}), read back
 * ({@link dev.jhtrace.capture.CaptureReader}), judged ({@link dev.jhtrace.capture.LeakVerdict}) and
 * rendered as text, JSON and a self-contained HTML page ({@link dev.jhtrace.capture.CaptureReportHtml}).
 * {@link dev.jhtrace.capture.CaptureRun} is the engine-neutral loop the {@code jhtrace capture} command drives.
 */
package dev.jhtrace.capture;
