package dev.jhtrace.dbgeng;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WindowsCommandLineTest {
    @Test
    void quotesOnlyWhatNeedsIt() {
        assertEquals("leaky.exe 5", WindowsCommandLine.join(List.of("leaky.exe", "5")));
        assertEquals("\"C:\\Program Files\\a.exe\" \"\"", WindowsCommandLine.join(List.of("C:\\Program Files\\a.exe", "")));
        // CommandLineToArgvW rules: backslashes are literal unless they precede a quote
        assertEquals("\"say \\\"hi\\\"\"", WindowsCommandLine.quote("say \"hi\""));
        assertEquals("\"C:\\dir with space\\\\\"", WindowsCommandLine.quote("C:\\dir with space\\"));
        assertEquals("C:\\plain\\", WindowsCommandLine.quote("C:\\plain\\"));
        assertEquals("\"a\\\\\\\"b\"", WindowsCommandLine.quote("a\\\"b"));
    }

    @Test
    void emptyCommandsAreBadInput() {
        assertEquals(Failure.BAD_INPUT, assertThrows(JhtraceException.class, () -> WindowsCommandLine.join(List.of())).failure());
        assertEquals(Failure.BAD_INPUT, assertThrows(JhtraceException.class, () -> WindowsCommandLine.join(List.of("a\0b"))).failure());
    }
}
