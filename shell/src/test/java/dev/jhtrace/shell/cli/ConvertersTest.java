package dev.jhtrace.shell.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConvertersTest {

    @Test
    void sizesAreBinaryUnits() {
        SizeConverter c = new SizeConverter();
        assertEquals(500L * 1024 * 1024, c.convert("500MB"));
        assertEquals(64L * 1024, c.convert("64kb"));
        assertEquals(3L * 1024 * 1024 * 1024 / 2, c.convert("1.5G"));
        assertEquals(4096L, c.convert("4096"));
        assertThrows(TypeConversionException.class, () -> c.convert("lots"));
        assertThrows(TypeConversionException.class, () -> c.convert("-1MB"));
    }

    @Test
    void ratesBecomeHandlesPerHour() {
        RateConverter c = new RateConverter();
        assertEquals(100.0, c.convert("100/h"));
        assertEquals(300.0, c.convert("5/m"));
        assertEquals(3600.0, c.convert("1/s"));
        assertEquals(10.0, c.convert("240/d"));
        assertEquals(42.0, c.convert("42"));
        assertThrows(TypeConversionException.class, () -> c.convert("fast"));
        assertThrows(TypeConversionException.class, () -> c.convert("5/week"));
    }
}
