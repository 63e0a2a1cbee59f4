/**
 * Raw JNA layer over dbgeng.dll: vtable slot enums (one per interface version, each starting where the
 * previous version ended), IIDs ({@link dev.jhtrace.dbgeng.jna.DbgEngInterface}), constants, structures,
 * HRESULT naming, and {@link dev.jhtrace.dbgeng.jna.ComObject}, a thread-owned COM pointer. Every slot,
 * IID, constant and layout here is checked by the tests against the shared reference tables.
 */
package dev.jhtrace.dbgeng.jna;
