/** IDebugSystemObjects: slot enum, the {@code DebugSystemObjects} method set and its wrapper. */
package dev.jhtrace.dbgeng.jna.sysobj;
