/**
 * Running dbgeng: finding and loading the DLLs by absolute path, negotiating interface versions, and the
 * single engine thread that owns the client.
 */
package dev.jhtrace.dbgeng.engine;
