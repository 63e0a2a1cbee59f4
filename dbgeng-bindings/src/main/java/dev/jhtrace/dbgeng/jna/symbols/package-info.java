/** IDebugSymbols..IDebugSymbols3: slot enums, the {@code DebugSymbols} method set and its wrapper. */
package dev.jhtrace.dbgeng.jna.symbols;
