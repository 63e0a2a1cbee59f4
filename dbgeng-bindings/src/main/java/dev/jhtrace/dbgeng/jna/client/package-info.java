/** IDebugClient..IDebugClient5: slot enums, the {@code DebugClient} method set and its wrapper. */
package dev.jhtrace.dbgeng.jna.client;
