package dev.jhtrace.perf;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A line table encoded by hand as HotSpot's CompressedLineNumberWriteStream writes one (the real ones: PerfJavaFramesTest). */
class LineTableTest {
    // (bci 0, line 15): escaped, both signed UNSIGNED5 (0 -> 0, 15 -> 30); (4, 16): one byte 4<<3|1; (10, 18): 6<<3|2;
    // (310, 17): escaped, 300 -> 600 in two bytes (216, 6), -1 -> 1; then the end
    private static final int[] TABLE = {0xFF, 0, 30, 4 << 3 | 1, 6 << 3 | 2, 0xFF, 216, 6, 1, 0};

    private static LineTable.Bytes bytes(int[] b, int length) {
        return new LineTable.Bytes() {
            private int i;

            @Override
            public int next() {
                return i < length ? b[i++] : -1;
            }
        };
    }

    private static int line(int bci) throws IOException {
        return LineTable.line(bytes(TABLE, TABLE.length), bci);
    }

    @Test
    void aByteCodeHasTheLineOfItsPairOrOfTheNearestBefore() throws IOException {
        assertEquals(15, line(0));
        assertEquals(16, line(4));
        assertEquals(16, line(7), "between pairs: the one before");
        assertEquals(18, line(10));
        assertEquals(18, line(309));
        assertEquals(17, line(310), "a larger step, and a line going back");
        assertEquals(17, line(400));
    }

    @Test
    void aTableCutShortGivesNoLine() throws IOException {
        assertEquals(-1, LineTable.line(bytes(TABLE, 4), 7), "the exact pair might come later");
        assertEquals(-1, LineTable.line(bytes(TABLE, 7), 310), "cut inside a number");
        assertEquals(-1, LineTable.line(bytes(new int[] {0}, 1), 0), "an empty table");
    }
}
