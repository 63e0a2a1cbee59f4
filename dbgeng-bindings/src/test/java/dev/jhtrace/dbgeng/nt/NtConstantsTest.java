package dev.jhtrace.dbgeng.nt;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every constant the bindings use, checked against reference/ntdll-constants.tsv (C name -> our value). */
class NtConstantsTest {

    static Map<String, Long> ours() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("ProcessHandleCount", (long) NtConstants.PROCESS_HANDLE_COUNT);
        m.put("ProcessHandleTracing", (long) NtConstants.PROCESS_HANDLE_TRACING);
        m.put("ProcessHandleInformation", (long) NtConstants.PROCESS_HANDLE_INFORMATION);
        m.put("SystemExtendedHandleInformation", (long) NtConstants.SYSTEM_EXTENDED_HANDLE_INFORMATION);
        m.put("ObjectNameInformation", (long) NtConstants.OBJECT_NAME_INFORMATION);
        m.put("ObjectTypeInformation", (long) NtConstants.OBJECT_TYPE_INFORMATION);
        m.put("ObjectTypesInformation", (long) NtConstants.OBJECT_TYPES_INFORMATION);
        m.put("PROCESS_HANDLE_TRACING_MAX_STACKS", (long) NtConstants.PROCESS_HANDLE_TRACING_MAX_STACKS);
        m.put("HANDLE_TRACE_DB_OPEN", (long) NtConstants.HANDLE_TRACE_DB_OPEN);
        m.put("HANDLE_TRACE_DB_CLOSE", (long) NtConstants.HANDLE_TRACE_DB_CLOSE);
        m.put("HANDLE_TRACE_DB_BADREF", (long) NtConstants.HANDLE_TRACE_DB_BADREF);
        m.put("PROCESS_TERMINATE", (long) NtConstants.PROCESS_TERMINATE);
        m.put("PROCESS_VM_READ", (long) NtConstants.PROCESS_VM_READ);
        m.put("PROCESS_DUP_HANDLE", (long) NtConstants.PROCESS_DUP_HANDLE);
        m.put("PROCESS_SET_INFORMATION", (long) NtConstants.PROCESS_SET_INFORMATION);
        m.put("PROCESS_QUERY_INFORMATION", (long) NtConstants.PROCESS_QUERY_INFORMATION);
        m.put("PROCESS_SUSPEND_RESUME", (long) NtConstants.PROCESS_SUSPEND_RESUME);
        m.put("PROCESS_QUERY_LIMITED_INFORMATION", (long) NtConstants.PROCESS_QUERY_LIMITED_INFORMATION);
        m.put("SYNCHRONIZE", (long) NtConstants.SYNCHRONIZE);
        m.put("DUPLICATE_CLOSE_SOURCE", (long) NtConstants.DUPLICATE_CLOSE_SOURCE);
        m.put("DUPLICATE_SAME_ACCESS", (long) NtConstants.DUPLICATE_SAME_ACCESS);
        m.put("STATUS_SUCCESS", (long) NtStatus.STATUS_SUCCESS);
        m.put("STATUS_PENDING", (long) NtStatus.STATUS_PENDING);
        m.put("STATUS_BUFFER_OVERFLOW", (long) NtStatus.STATUS_BUFFER_OVERFLOW);
        m.put("STATUS_PARTIAL_COPY", (long) NtStatus.STATUS_PARTIAL_COPY);
        m.put("STATUS_NO_MORE_ENTRIES", (long) NtStatus.STATUS_NO_MORE_ENTRIES);
        m.put("STATUS_UNSUCCESSFUL", (long) NtStatus.STATUS_UNSUCCESSFUL);
        m.put("STATUS_NOT_IMPLEMENTED", (long) NtStatus.STATUS_NOT_IMPLEMENTED);
        m.put("STATUS_INVALID_INFO_CLASS", (long) NtStatus.STATUS_INVALID_INFO_CLASS);
        m.put("STATUS_INFO_LENGTH_MISMATCH", (long) NtStatus.STATUS_INFO_LENGTH_MISMATCH);
        m.put("STATUS_INVALID_HANDLE", (long) NtStatus.STATUS_INVALID_HANDLE);
        m.put("STATUS_INVALID_PARAMETER", (long) NtStatus.STATUS_INVALID_PARAMETER);
        m.put("STATUS_NO_MEMORY", (long) NtStatus.STATUS_NO_MEMORY);
        m.put("STATUS_ACCESS_DENIED", (long) NtStatus.STATUS_ACCESS_DENIED);
        m.put("STATUS_BUFFER_TOO_SMALL", (long) NtStatus.STATUS_BUFFER_TOO_SMALL);
        m.put("STATUS_OBJECT_TYPE_MISMATCH", (long) NtStatus.STATUS_OBJECT_TYPE_MISMATCH);
        m.put("STATUS_INSUFFICIENT_RESOURCES", (long) NtStatus.STATUS_INSUFFICIENT_RESOURCES);
        m.put("STATUS_NOT_SUPPORTED", (long) NtStatus.STATUS_NOT_SUPPORTED);
        m.put("STATUS_PROCESS_IS_TERMINATING", (long) NtStatus.STATUS_PROCESS_IS_TERMINATING);
        return m;
    }

    @Test
    void everyConstantMatchesTheReferenceTable() {
        Map<String, Long> reference = ReferenceTables.ntdllConstants();
        Map<String, Long> ours = ours();
        assertTrue(ours.size() >= 39);
        ours.forEach((name, value) -> {
            assertNotNull(reference.get(name), name + " is not in ntdll-constants.tsv");
            assertEquals(reference.get(name), value, name);
        });
    }

    @Test
    void stillActiveIsStatusPending() {
        assertEquals(ReferenceTables.ntdllConstants().get("STATUS_PENDING"), (long) NtConstants.STILL_ACTIVE);
    }

    @Test
    void tracingAccessHasTheRightsEachCallNeeds() {
        int rights = NtConstants.TRACING_ACCESS;
        Map<String, Long> ref = ReferenceTables.ntdllConstants();
        for (String needed : new String[]{"PROCESS_QUERY_INFORMATION", "PROCESS_SET_INFORMATION", "PROCESS_DUP_HANDLE", "SYNCHRONIZE"}) {
            assertEquals(ref.get(needed), rights & ref.get(needed), needed);
        }
        assertEquals(0, rights & ref.get("PROCESS_TERMINATE"), "jhtrace never asks for the right to kill the target");
        assertEquals(0, rights & ref.get("PROCESS_SUSPEND_RESUME"), "nor to suspend it");
    }
}
