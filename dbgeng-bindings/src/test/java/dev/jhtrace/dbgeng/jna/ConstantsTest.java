package dev.jhtrace.dbgeng.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every constant in DbgEngConstants and HResult against dbgeng-constants.tsv, at the header's bit width. */
class ConstantsTest {
    /** Names the reference table does not cover (its DbgEng.h prefixes exclude DEBUG_MODNAME_). */
    private static final Set<String> NOT_IN_TABLE = Set.of(
            "DEBUG_MODNAME_IMAGE", "DEBUG_MODNAME_MODULE", "DEBUG_MODNAME_LOADED_IMAGE", "DEBUG_MODNAME_SYMBOL_FILE");

    private final Map<String, Map<String, String>> table = byName("dbgeng-constants.tsv");

    private static Map<String, Map<String, String>> byName(String file) {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (Map<String, String> r : ReferenceTables.rows(file)) out.put(r.get("name"), r);
        return out;
    }

    @Test
    void dbgEngConstantsMatch() throws Exception {
        assertEquals(92, check(DbgEngConstants.class)); // 96 fields, 4 DEBUG_MODNAME_* not in the table
    }

    @Test
    void hresultConstantsMatch() throws Exception {
        assertTrue(check(HResult.class) >= 18);
    }

    /** Compares every public static final int/long field; returns how many were checked. */
    private int check(Class<?> holder) throws IllegalAccessException {
        int checked = 0;
        for (Field f : holder.getDeclaredFields()) {
            int m = f.getModifiers();
            if (!Modifier.isPublic(m) || !Modifier.isStatic(m) || !Modifier.isFinal(m)) continue;
            if (f.getType() != int.class && f.getType() != long.class) continue;
            if (NOT_IN_TABLE.contains(f.getName())) continue;
            Map<String, String> row = table.get(f.getName());
            if (row == null) fail(holder.getSimpleName() + "." + f.getName() + " is not in dbgeng-constants.tsv");
            int bits = Integer.parseInt(row.get("bits"));
            // ULONG/HRESULT fields must be Java int, 64-bit ones long: the width is part of the fact.
            assertEquals(bits == 64 ? long.class : int.class, f.getType(), f.getName() + " width");
            BigInteger expected = new BigInteger(row.get("value_hex").substring(2), 16);
            long raw = f.getType() == int.class ? Integer.toUnsignedLong(f.getInt(null)) : f.getLong(null);
            BigInteger actual = new BigInteger(Long.toUnsignedString(raw));
            assertEquals(expected, actual, f.getName());
            checked++;
        }
        return checked;
    }

    @Test
    void hresultFromWin32MatchesTheMacro() {
        int checked = 0;
        for (Map.Entry<String, Map<String, String>> e : table.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("HRESULT_FROM_WIN32(")) continue;
            String error = name.substring("HRESULT_FROM_WIN32(".length(), name.length() - 1);
            int code = Integer.parseInt(table.get(error).get("value_dec"));
            assertEquals(Integer.parseInt(e.getValue().get("value_dec")), HResult.fromWin32(code), name);
            checked++;
        }
        assertEquals(5, checked);
    }

    @Test
    void hresultFromNtMatchesTheMacro() {
        Map<String, Map<String, String>> nt = byName("ntdll-constants.tsv");
        int checked = 0;
        for (Map.Entry<String, Map<String, String>> e : table.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("HRESULT_FROM_NT(")) continue;
            String status = name.substring("HRESULT_FROM_NT(".length(), name.length() - 1);
            Map<String, String> statusRow = nt.get(status);
            assertNotNull(statusRow, status);
            int value = (int) Long.parseLong(statusRow.get("value_hex").substring(2), 16);
            assertEquals(Integer.parseInt(e.getValue().get("value_dec")), HResult.fromNt(value), name);
            checked++;
        }
        assertEquals(4, checked);
    }
}
