/**
 * Windows handle tracing and handle enumeration through ntdll, without a debugger.
 *
 * <h2>What runs where</h2>
 * <ul>
 *   <li>{@link dev.jhtrace.dbgeng.nt.Ntdll} and {@link dev.jhtrace.dbgeng.nt.Kernel32Api}: the JNA
 *   bindings, loaded together by {@link dev.jhtrace.dbgeng.nt.WindowsNative#load()}.</li>
 *   <li>{@link dev.jhtrace.dbgeng.nt.NtLayout}: every structure offset, for x64 and x86, checked by
 *   tests against {@code reference/struct-layouts.tsv}; buffers are decoded by offset, never by JNA
 *   Structure auto-layout. {@link dev.jhtrace.dbgeng.nt.NtConstants} and
 *   {@link dev.jhtrace.dbgeng.nt.NtStatus}: every number, checked against {@code ntdll-constants.tsv}.</li>
 *   <li>{@link dev.jhtrace.dbgeng.nt.KernelTraceRing}: ProcessHandleTracing (class 32): query,
 *   enable with a ring size (128 to 131,072 slots, a power of two; 0 for 4096), disable with a
 *   zero-length set, read growing the buffer on STATUS_INFO_LENGTH_MISMATCH.</li>
 *   <li>{@link dev.jhtrace.dbgeng.nt.TraceMerger} and {@link dev.jhtrace.dbgeng.nt.NtHandleTracing}:
 *   the ring is newest first, without times, and wraps; reads are merged by finding the previous
 *   read's newest entries again, and a miss is reported as a wrap with an unknown loss.</li>
 *   <li>{@link dev.jhtrace.dbgeng.nt.KernelHandleTable}: the handle table from ProcessHandleInformation
 *   (class 51, Windows 8+), falling back to SystemExtendedHandleInformation (64) filtered by pid;
 *   {@link dev.jhtrace.dbgeng.nt.ObjectTypeTable}: type names from ObjectTypesInformation.</li>
 *   <li>{@link dev.jhtrace.dbgeng.nt.ObjectNameClient} and {@link dev.jhtrace.dbgeng.nt.ObjectNameWorker}:
 *   object names are asked in a child JVM that is killed after a timeout, because NtQueryObject can
 *   block forever on synchronous pipes and a JVM thread stuck in native code cannot be stopped.</li>
 * </ul>
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>Kernel frames (the first frames of each stack, at kernel addresses) are dropped; user frames are
 *   kept in order. See {@link dev.jhtrace.dbgeng.nt.TraceEventDecoder}.</li>
 *   <li>An existing trace is adopted, never re-enabled (that would wipe it). Enabling needs the user's
 *   consent, because the target then raises STATUS_INVALID_HANDLE on bad handle use.</li>
 *   <li>Detaching leaves the trace on by default, as a detaching debugger does.</li>
 * </ul>
 * None of this has run on Windows in the build here: it is checked against the reference tables and
 * a simulated kernel (Mockito), and runs for real in the Windows CI job.
 */
package dev.jhtrace.dbgeng.nt;
