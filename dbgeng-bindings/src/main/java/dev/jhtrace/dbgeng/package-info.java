/**
 * The Windows engine, {@code windows} ({@code dbgeng} is accepted as an alias): {@link dev.jhtrace.dbgeng.WindowsEngine} gives
 * {@link dev.jhtrace.dbgeng.NtHandleSource}s for live processes, built on the ntdll layer in
 * {@link dev.jhtrace.dbgeng.nt}. The target is opened with query, set-information, duplicate-handle
 * and synchronize rights only: never debugged, suspended or killed. Symbols come from an injected
 * {@code IntFunction<SymbolResolver>} (pid to resolver), meant for dbgeng attached non-invasively.
 * Settings the SPI does not carry are in {@link dev.jhtrace.dbgeng.WindowsEngineOptions}.
 */
package dev.jhtrace.dbgeng;
