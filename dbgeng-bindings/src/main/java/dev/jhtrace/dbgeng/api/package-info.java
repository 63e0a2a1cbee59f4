/**
 * The friendly dbgeng API: {@link dev.jhtrace.dbgeng.api.DbgEngClient} (a dbgeng client on its own
 * engine thread: attach, open dump, run commands, symbol path), {@link dev.jhtrace.dbgeng.api.DbgEngHost}
 * (the JVM's one client shared by every target, each an {@link dev.jhtrace.dbgeng.api.DbgEngHost.Attachment}),
 * {@link dev.jhtrace.dbgeng.api.DbgEngSymbols} (a SymbolResolver) and
 * {@link dev.jhtrace.dbgeng.api.DbgEngDoctor} (what would be loaded, and why not).
 */
package dev.jhtrace.dbgeng.api;
