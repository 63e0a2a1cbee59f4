package dev.jhtrace.perf;

import java.io.IOException;

/**
 * A HotSpot method's compressed line number table, as JDK 6 to 18 write it ({@code CompressedLineNumberWriteStream}):
 * pairs of byte-code index and line, each the difference from the pair before; a pair whose differences fit is one
 * byte {@code bci_delta << 3 | line_delta}, another is 0xFF followed by the two as signed UNSIGNED5 numbers; a 0 byte
 * ends the table.
 */
final class LineTable {
    private static final int ESCAPE = 0xFF, L = 192, LG_H = 6, MAX_BYTES = 5;

    /** The table's bytes, one at a time: -1 past what can be read. */
    interface Bytes {
        int next() throws IOException;
    }

    private LineTable() {
    }

    /**
     * The line of byte code {@code bci}: the pair's of that index, else the line of the nearest pair before it (the
     * JVM's {@code Method::line_number_from_bci}); -1 when the table has none or cannot be read to its end.
     */
    static int line(Bytes table, int bci) throws IOException {
        int atBci = 0, line = 0, bestBci = 0, bestLine = -1;
        while (true) {
            int b = table.next();
            if (b < 0) return -1; // cut short: a later pair might be the exact one
            if (b == 0) return bestLine;
            if (b == ESCAPE) {
                long dBci = signed(table), dLine = signed(table);
                if (dBci == Long.MIN_VALUE || dLine == Long.MIN_VALUE) return -1;
                atBci += (int) dBci;
                line += (int) dLine;
            } else {
                atBci += b >> 3;
                line += b & 7;
            }
            if (atBci == bci) return line;
            if (atBci < bci && atBci >= bestBci) {
                bestBci = atBci;
                bestLine = line;
            }
        }
    }

    /** One signed UNSIGNED5 number ({@code CompressedReadStream::read_signed_int}); MIN_VALUE when cut short. */
    private static long signed(Bytes table) throws IOException {
        int b = table.next();
        if (b < 0) return Long.MIN_VALUE;
        long sum = b;
        if (b >= L) {
            int shift = LG_H;
            for (int i = 1; i < MAX_BYTES; i++, shift += LG_H) {
                b = table.next();
                if (b < 0) return Long.MIN_VALUE;
                sum += (long) b << shift;
                if (b < L) break;
            }
        }
        int v = (int) sum;
        return (v >>> 1) ^ -(v & 1);
    }
}
