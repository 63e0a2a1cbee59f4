/**
 * The friendly dbgeng API: {@link dev.jhtrace.dbgeng.api.DbgEngSession} (attach, open dump, run commands,
 * symbol path), {@link dev.jhtrace.dbgeng.api.DbgEngSymbols} (a SymbolResolver) and
 * {@link dev.jhtrace.dbgeng.api.DbgEngDoctor} (what would be loaded, and why not).
 */
package dev.jhtrace.dbgeng.api;
