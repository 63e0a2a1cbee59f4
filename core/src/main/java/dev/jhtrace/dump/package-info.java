/**
 * Post-mortem handles from Windows minidumps, read in pure Java on any OS.
 *
 * <p>{@link dev.jhtrace.dump.Minidump#read(java.nio.file.Path)} decodes the header, the stream directory and
 * the streams that matter for handles: HandleData (12, both descriptor sizes, with type and object names and
 * ObjectInfo chains), HandleOperationList (18, the handle trace), ModuleList (4), SystemInfo (7) and MiscInfo
 * (15). Every read is bounds-checked against the file, so a damaged or hostile file yields one line of
 * {@code BAD_INPUT}, and memory stays proportional to the file.
 *
 * <p>{@link dev.jhtrace.dump.MinidumpEngine} (engine {@code minidump}) opens a dump as a
 * {@link dev.jhtrace.spi.HandleSource}, a {@link dev.jhtrace.dump.MinidumpHandleSource}:
 * <pre>{@code
 * try (HandleSource dump = Engines.named("minidump").open(Path.of("app.dmp"))) {
 *     HandleTable table = dump.handles();                      // "(no type)" for descriptors without a type
 *     Diff diff = ((MinidumpHandleSource) dump).leakDiff();    // needs stream 18
 *     LeakReport report = LeakAnalyzer.DEFAULT.analyze(diff, "minidump");
 * }
 * }</pre>
 *
 * <p>Stream 18's order is not documented; it is assumed newest first (see {@link dev.jhtrace.dump.OperationOrder}).
 */
package dev.jhtrace.dump;
