package dev.jhtrace.dbgeng.nt;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ObjectNameWorkerTest {
    @Test
    void answersEachRequestInTheProtocol() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ObjectNameWorker.serve(new BufferedReader(new StringReader("4\n\nzz\n8\nc\n")), out, v -> switch ((int) v) {
            case 4 -> NameLookup.of("\\Device\\HarddiskVolume3\\tmp\\a\tb.txt");
            case 8 -> NameLookup.of("");
            default -> NameLookup.failed("cannot copy the handle: STATUS_INVALID_HANDLE (0xC0000008)");
        });
        assertEquals("ready\n"
                + "4\t\\Device\\HarddiskVolume3\\tmp\\a b.txt\n"
                + "zz\t!not a handle value\n"
                + "8\t\n"
                + "c\t!cannot copy the handle: STATUS_INVALID_HANDLE (0xC0000008)\n", bytes.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }

    @Test
    void theHelperEnablesSeDebugPrivilegeBeforeOpeningAService() {
        SimulatedKernel k = new SimulatedKernel();
        k.targetIsService = true;
        ObjectNameWorker.Opened opened = ObjectNameWorker.openForDuplication(k.natives(), SimulatedKernel.PID);
        assertEquals(null, opened.failure());
        assertEquals(NtConstants.PROCESS_DUP_HANDLE, k.access(opened.target()), "duplicating needs PROCESS_DUP_HANDLE, nothing more");
    }

    @Test
    void aHelperThatCannotOpenTheTargetSaysWhichRightAndWhy() {
        SimulatedKernel k = new SimulatedKernel();
        k.targetIsService = true;
        k.debugPrivilegeHeld = false;
        ObjectNameWorker.Opened opened = ObjectNameWorker.openForDuplication(k.natives(), SimulatedKernel.PID);
        assertEquals(null, opened.target());
        assertEquals("cannot open process 4242 with PROCESS_DUP_HANDLE (access denied; " + DebugPrivilege.enable(k.natives()).describe() + ")", opened.failure());
    }
}
