/**
 * COM objects implemented in Java that dbgeng calls: IDebugOutputCallbacksWide and IDebugEventCallbacksWide,
 * built as native vtables of JNA callbacks, plus the registry that keeps them reachable while registered.
 */
package dev.jhtrace.dbgeng.jna.callbacks;
