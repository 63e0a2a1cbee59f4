/**
 * WinDbg text in and out: parsers for the output of {@code !htrace} and {@code !handle} as users paste it
 * (logs, issue threads, blog posts, Markdown), a model of a parsed log, the import that turns logs into a
 * leak report and a handle listing, and writers that print the model back in WinDbg's own format.
 *
 * <p>Entry points: {@link dev.jhtrace.windbg.WindbgLogParser} (text to {@link dev.jhtrace.windbg.WindbgLog}),
 * {@link dev.jhtrace.windbg.WindbgImport} (logs to {@link dev.jhtrace.model.Diff}, leak report and
 * {@link dev.jhtrace.report.HandleListing}), {@link dev.jhtrace.windbg.WindbgWriter} (model to text).
 */
package dev.jhtrace.windbg;
