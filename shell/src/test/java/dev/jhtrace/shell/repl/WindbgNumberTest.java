package dev.jhtrace.shell.repl;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WindbgNumberTest {
    @Test
    void hexByDefaultAsWinDbgReadsThem() {
        assertEquals(0x1cc, WindbgNumber.parse("1cc"));
        assertEquals(0x1cc, WindbgNumber.parse("0x1CC"));
        assertEquals(1234, WindbgNumber.parse("0n1234"));
        assertEquals(0x7e0, WindbgNumber.parse("00000000`000007e0"));
    }

    @Test
    void garbageIsBadInput() {
        for (String s : new String[] {"zz", "", "0x", "0n12a"}) {
            JhtraceException e = assertThrows(JhtraceException.class, () -> WindbgNumber.parse(s));
            assertEquals(Failure.BAD_INPUT, e.failure(), s);
        }
    }
}
