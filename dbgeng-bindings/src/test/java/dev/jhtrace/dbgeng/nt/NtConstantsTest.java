package dev.jhtrace.dbgeng.nt;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every constant of {@link NtConstants} and {@link NtStatus}, found by reflection (a constant added later
 * is checked without editing this test), against reference/ntdll-constants.tsv, and for the Win32
 * CREATE_* flags and ERROR_* codes against reference/dbgeng-constants.tsv. Java names are the C names,
 * or the C name in upper snake case for the CamelCase enum members (ProcessHandleTracing is PROCESS_HANDLE_TRACING).
 */
class NtConstantsTest {
    /** Constants that are not a C name: what each must equal. */
    private static final Map<String, String> DERIVED = Map.of(
            "STILL_ACTIVE", "STATUS_PENDING",             // GetExitCodeProcess's STILL_ACTIVE is defined as STATUS_PENDING
            "READ_ACCESS", "PROCESS_QUERY_INFORMATION");  // least access: reading needs exactly this right

    static String upperSnake(String cName) {
        if (cName.equals(cName.toUpperCase(Locale.ROOT))) return cName;
        return cName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /** Java name -> reference value, from both tables. */
    private static Map<String, Long> reference() {
        Map<String, Long> byJavaName = new HashMap<>();
        ReferenceTables.dbgengConstants().forEach((name, value) -> {
            if (name.startsWith("CREATE_") || name.startsWith("ERROR_")) byJavaName.put(name, value);
        });
        ReferenceTables.ntdllConstants().forEach((name, value) -> {
            byJavaName.put(upperSnake(name), value);
            byJavaName.put(name, value);
        });
        return byJavaName;
    }

    private static int check(Class<?> holder, Map<String, Long> reference) throws IllegalAccessException {
        int checked = 0;
        for (Field f : holder.getDeclaredFields()) {
            int m = f.getModifiers();
            if (!Modifier.isPublic(m) || !Modifier.isStatic(m) || !Modifier.isFinal(m) || f.getType() != int.class) continue;
            String name = DERIVED.getOrDefault(f.getName(), f.getName());
            Long expected = reference.get(name);
            if (expected == null) fail(holder.getSimpleName() + "." + f.getName() + " is in no reference table");
            assertEquals(expected.intValue(), f.getInt(null), holder.getSimpleName() + "." + f.getName());
            checked++;
        }
        return checked;
    }

    @Test
    void everyConstantMatchesTheReferenceTables() throws IllegalAccessException {
        Map<String, Long> reference = reference();
        assertTrue(check(NtConstants.class, reference) >= 27);
        assertTrue(check(NtStatus.class, reference) >= 18);
    }

    @Test
    void camelCaseNamesMapToUpperSnakeCase() {
        assertEquals("PROCESS_HANDLE_TRACING", upperSnake("ProcessHandleTracing"));
        assertEquals("SYSTEM_EXTENDED_HANDLE_INFORMATION", upperSnake("SystemExtendedHandleInformation"));
        assertEquals("STATUS_SUCCESS", upperSnake("STATUS_SUCCESS"));
    }

    @Test
    void readAccessHasNoRightBeyondReading() {
        Map<String, Long> ref = ReferenceTables.ntdllConstants();
        for (String never : new String[]{"PROCESS_SET_INFORMATION", "PROCESS_DUP_HANDLE", "PROCESS_TERMINATE", "PROCESS_SUSPEND_RESUME", "PROCESS_VM_READ"}) {
            assertEquals(0, NtConstants.READ_ACCESS & ref.get(never), never + " is asked only where it is needed, or never");
        }
    }
}
