/** IDebugControl..IDebugControl4: slot enums, the {@code DebugControl} method set and its wrapper. */
package dev.jhtrace.dbgeng.jna.control;
