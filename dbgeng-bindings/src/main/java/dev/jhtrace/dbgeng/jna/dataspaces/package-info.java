/** IDebugDataSpaces..IDebugDataSpaces2: slot enums, the {@code DebugDataSpaces} method set and its wrapper. */
package dev.jhtrace.dbgeng.jna.dataspaces;
