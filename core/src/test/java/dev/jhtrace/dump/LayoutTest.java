package dev.jhtrace.dump;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every offset and size the reader uses, held against the reference table compiled from the SDK headers. */
class LayoutTest {

    /** struct|field|arch -> {offset, size}, offset -1 for (sizeof) rows. */
    private static Map<String, int[]> table() throws IOException {
        List<String> lines = Files.readAllLines(Fixtures.shared().resolve("reference/struct-layouts.tsv"));
        assertEquals(List.of("struct", "field", "arch", "offset", "size", "source", "agrees", "differs"), List.of(lines.get(0).split("\t")));
        Map<String, int[]> rows = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split("\t", -1);
            rows.put(c[0] + "|" + c[1] + "|" + c[2], new int[] {c[3].isEmpty() ? -1 : Integer.parseInt(c[3]), Integer.parseInt(c[4])});
        }
        return rows;
    }

    @Test
    void readerLayoutsMatchTheSdkOnBothArchitectures() throws IOException {
        Map<String, int[]> table = table();
        for (String arch : List.of("x64", "x86")) {
            for (Layout.Field f : Layout.CHECKED) {
                int[] row = table.get(f.struct() + "|" + f.field() + "|" + arch);
                assertNotNull(row, "no reference row for " + f + " on " + arch);
                assertEquals(f.offset(), row[0], "offset of " + f.struct() + "." + f.field() + " on " + arch);
                assertEquals(f.size(), row[1], "size of " + f.struct() + "." + f.field() + " on " + arch);
            }
        }
    }

    @Test
    void everyDocumentedFieldOfTheHandleStructsIsAccountedFor() throws IOException {
        // the reader must not silently skip a field the table knows: each is either checked or deliberately unused
        List<String> unused = List.of("MINIDUMP_HEADER|CheckSum", "MINIDUMP_HEADER|Reserved", "MINIDUMP_DIRECTORY|Location",
                "MINIDUMP_HANDLE_DATA_STREAM|Reserved", "MINIDUMP_HANDLE_DESCRIPTOR_2|Reserved0", "MINIDUMP_HANDLE_OPERATION_LIST|Reserved",
                "AVRF_HANDLE_OPERATION|Spare0", "AVRF_HANDLE_OPERATION|BackTraceInformation", "MINIDUMP_LOCATION_DESCRIPTOR|DataSize",
                "MINIDUMP_LOCATION_DESCRIPTOR|Rva", "MINIDUMP_LOCATION_DESCRIPTOR|(sizeof)", "MINIDUMP_STRING|(sizeof)");
        List<String> structs = List.of("MINIDUMP_HEADER", "MINIDUMP_DIRECTORY", "MINIDUMP_HANDLE_DATA_STREAM", "MINIDUMP_HANDLE_DESCRIPTOR",
                "MINIDUMP_HANDLE_DESCRIPTOR_2", "MINIDUMP_HANDLE_OBJECT_INFORMATION", "MINIDUMP_HANDLE_OPERATION_LIST", "AVRF_HANDLE_OPERATION",
                "MINIDUMP_STRING");
        int seen = 0;
        for (String key : table().keySet()) {
            String[] k = key.split("\\|");
            if (!k[2].equals("x64") || !structs.contains(k[0]) || k[1].equals("(alignof)")) continue;
            seen++;
            boolean checked = Layout.CHECKED.stream().anyMatch(f -> f.struct().equals(k[0]) && f.field().equals(k[1]));
            assertTrue(checked || unused.contains(k[0] + "|" + k[1]), "field not handled by the reader: " + key);
        }
        assertEquals(Layout.CHECKED.size() + 9, seen, "checked fields plus the nine deliberately unused ones");
    }
}
