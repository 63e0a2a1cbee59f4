package dev.jhtrace.dbgeng;

import dev.jhtrace.model.StackFrame;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.SymbolResolver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class NonInvasiveSymbolsTest {

    @Test
    void withoutDbgengFramesStayAddressesAndTheReasonIsToldOnce() {
        List<String> warnings = new ArrayList<>();
        SymbolResolver r = NonInvasiveSymbols.forPid(42, pid -> {
            throw new JhtraceException(Failure.ENGINE_UNAVAILABLE, "dbgeng is only available on Windows");
        }, warnings::add);
        assertSame(SymbolResolver.NONE, r);
        assertEquals(List.of("no symbols for process 42: dbgeng is only available on Windows"), warnings);
        StackFrame f = StackFrame.unresolved(0x1234);
        assertSame(f, r.resolve(f));
    }

    @Test
    void onLinuxTheRealAttachSaysDbgengIsUnavailable() {
        List<String> warnings = new ArrayList<>();
        SymbolResolver r = NonInvasiveSymbols.forPid(1, pid -> NonInvasiveSymbols.attach(pid, List.of("srv*C:\\symbols")), warnings::add);
        assertSame(SymbolResolver.NONE, r);
        assertEquals(1, warnings.size());
        assertEquals(true, warnings.get(0).contains("Windows"), warnings.get(0));
    }

}
