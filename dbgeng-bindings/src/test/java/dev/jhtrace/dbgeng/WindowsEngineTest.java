package dev.jhtrace.dbgeng;

import com.sun.jna.Pointer;
import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinDef;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import dev.jhtrace.analysis.LeakAnalyzer;
import dev.jhtrace.analysis.LeakReport;
import dev.jhtrace.dbgeng.nt.DebugPrivilege;
import dev.jhtrace.dbgeng.nt.FakeNameHelper;
import dev.jhtrace.dbgeng.nt.NtConstants;
import dev.jhtrace.dbgeng.nt.NtHandleTracing;
import dev.jhtrace.dbgeng.nt.NtStatus;
import dev.jhtrace.dbgeng.nt.ObjectNameClient;
import dev.jhtrace.dbgeng.nt.SimulatedKernel;
import dev.jhtrace.dbgeng.nt.StdHandles;
import dev.jhtrace.dbgeng.nt.WindowsNative;
import dev.jhtrace.model.Diff;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.OutstandingHandle;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.StackFrame;
import dev.jhtrace.session.HtraceSession;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Engines;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.SymbolResolver;
import dev.jhtrace.spi.TargetOutput;
import dev.jhtrace.spi.TraceOptions;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The engine over a simulated kernel (Mockito mocks of ntdll/kernel32), driven through HtraceSession as the CLI does. */
class WindowsEngineTest {
    private static final long NTDLL_FRAME = 0x00007FFA_10001000L;
    private static final long APP_FRAME = 0x00007FF6_20001234L;
    private static final long APP_OTHER = 0x00007FF6_20005678L;
    private static final long KERNEL = 0xFFFFF803_00001000L;

    private final SimulatedKernel k = new SimulatedKernel();

    /** Resolves the two app frames and ntdll, like the dbgeng symbols will. */
    private static final SymbolResolver SYMBOLS = f -> {
        if (f.address() == NTDLL_FRAME) return new StackFrame(f.address(), "ntdll", "NtCreateEvent", 0x14L, null, null);
        if (f.address() == APP_FRAME) return new StackFrame(f.address(), "leaky", "LeakEvents", 0x34L, "leaky.c", 21);
        if (f.address() == APP_OTHER) return new StackFrame(f.address(), "leaky", "main", 0x78L, "leaky.c", 40);
        return f;
    };

    private static IntFunction<ObjectNameClient> fakeNames() {
        return pid -> new ObjectNameClient(FakeNameHelper.command("\\BaseNamedObjects\\evt-"), 5000, 30_000);
    }

    private final List<String> warned = new java.util.concurrent.CopyOnWriteArrayList<>();

    private WindowsEngine engine(WindowsEngineOptions options) {
        return new WindowsEngine(options, pid -> SYMBOLS, k::natives, fakeNames(), warned::add);
    }

    private WindowsEngine consenting() {
        return engine(WindowsEngineOptions.DEFAULT.withAcceptInvalidHandleExceptions(true));
    }

    @Test
    void isFoundByServiceLoaderAndSaysItIsWindowsOnlyHere() {
        Engine e = Engines.named("windows");
        assertInstanceOf(WindowsEngine.class, e);
        assertEquals("windows", e.name());
        assumeFalse(WindowsNative.isWindows());
        assertFalse(e.availability().available());
        assertEquals("the Windows engine runs on Windows only", e.availability().detail());
        // doctor's dbgeng lines are for Windows, where dbgeng can load
        assertEquals(List.of(), e.diagnostics());
        JhtraceException x = assertThrows(JhtraceException.class, () -> e.attach(1, TraceOptions.DEFAULT));
        assertEquals(Failure.ENGINE_UNAVAILABLE, x.failure());
        assertEquals("the Windows engine runs on Windows only", x.getMessage());
    }

    @Test
    void theFormerNameDbgengStillFindsIt() {
        assertInstanceOf(WindowsEngine.class, Engines.named("dbgeng"));
        assertInstanceOf(WindowsEngine.class, Engines.forLiveProcesses("DbgEng"), "--engine takes names in any case");
        assertEquals("windows", Engines.named("dbgeng").name(), "reports and captures carry the new name");
        JhtraceException unknown = assertThrows(JhtraceException.class, () -> Engines.named("dbg"));
        assertEquals("no engine named 'dbg' in this build", unknown.getMessage(), "an alias matches whole, not as a prefix");
    }

    @Test
    void openFailuresMapToExitCodes() {
        WindowsEngine e = consenting();
        k.openProcessError = NtConstants.ERROR_ACCESS_DENIED; // SeDebugPrivilege is enabled, and still refused: a protected process
        JhtraceException denied = assertThrows(JhtraceException.class, () -> e.attach(4, TraceOptions.DEFAULT));
        assertEquals(Failure.PERMISSION_DENIED, denied.failure());
        assertEquals("access denied opening process 4 with PROCESS_QUERY_INFORMATION (needed to read its handle table and trace): "
                + "refused although SeDebugPrivilege is enabled: the process is protected (PPL) and cannot be traced", denied.getMessage());
        k.openProcessError = NtConstants.ERROR_INVALID_PARAMETER;
        JhtraceException missing = assertThrows(JhtraceException.class, () -> e.attach(999_999, TraceOptions.DEFAULT));
        assertEquals(Failure.TARGET_NOT_FOUND, missing.failure());
        assertEquals("no process with id 999999", missing.getMessage());
        assertEquals(Failure.BAD_INPUT, assertThrows(JhtraceException.class, () -> e.attach(0, TraceOptions.DEFAULT)).failure());
    }

    @Test
    void attachAsksOnlyForWhatReadingNeeds() {
        consenting().attach(SimulatedKernel.PID, TraceOptions.DEFAULT).close();
        Map<Long, Integer> opened = k.openedProcessHandles();
        assertEquals(List.of(NtConstants.PROCESS_QUERY_INFORMATION), List.copyOf(opened.values()), "reading needs PROCESS_QUERY_INFORMATION only");
        verify(k.kernel32).CloseHandle(new HANDLE(Pointer.createConstant(opened.keySet().iterator().next())));
    }

    @Test
    void enableSnapshotDiffReportThroughHtraceSession() {
        try (HandleSource source = consenting().attach(SimulatedKernel.PID, TraceOptions.DEFAULT)) {
            assertEquals("leaky.exe", source.target().name());
            assertEquals("windows", source.engineName());
            long before = k.open("Event", 0x1F0003, KERNEL, NTDLL_FRAME, APP_OTHER); // opened before tracing: not a leak
            HtraceSession session = new HtraceSession(source);
            session.enable(new TraceOptions(16, 4096));
            assertTrue(k.tracing());
            // the leak: 5 events opened from LeakEvents and never closed; 3 more opened and closed
            for (int i = 0; i < 5; i++) k.open("Event", 0x1F0003, KERNEL, NTDLL_FRAME, APP_FRAME, APP_OTHER);
            for (int i = 0; i < 3; i++) k.close(k.open("Key", 0x20019, KERNEL, NTDLL_FRAME, APP_OTHER), NTDLL_FRAME);
            Diff diff = session.diff(session.lastSnapshot());
            assertEquals(5, diff.size());
            assertTrue(diff.outstanding().stream().noneMatch(o -> o.handle() == before));
            assertTrue(diff.outstanding().stream().noneMatch(o -> o.stackLost()));
            assertEquals("Event", diff.outstanding().get(0).type());
            assertEquals("\\BaseNamedObjects\\evt-" + Long.toHexString(diff.outstanding().get(0).handle()), diff.outstanding().get(0).name());
            assertEquals(0L, diff.lostEvents());
            LeakReport report = session.report(diff, LeakAnalyzer.DEFAULT);
            assertEquals(1, report.groups().size());
            assertEquals(5, report.groups().get(0).count());
            assertEquals("LeakEvents", report.groups().get(0).leakFrame().function(), "first frame outside ntdll");
            assertEquals(3, report.groups().get(0).stack().depth(), "kernel frame dropped, user frames kept");
        }
        assertTrue(k.tracing(), "detaching leaves tracing on by default");
    }

    @Test
    void enablingAnAttachedProcessNeedsConsent() {
        try (HandleSource source = engine(WindowsEngineOptions.DEFAULT).attach(SimulatedKernel.PID, TraceOptions.DEFAULT)) {
            JhtraceException e = assertThrows(JhtraceException.class, () -> new HtraceSession(source).enable(TraceOptions.DEFAULT));
            assertEquals(Failure.BAD_INPUT, e.failure());
            assertTrue(e.getMessage().contains("accept-invalid-handle-exceptions"));
            assertFalse(k.tracing());
        }
    }

    @Test
    void theConsentCanComeWithTheTraceOptions() {
        // the shell passes --accept-invalid-handle-exceptions this way: no system property, no engine built for it
        try (HandleSource source = engine(WindowsEngineOptions.DEFAULT).attach(SimulatedKernel.PID, TraceOptions.DEFAULT.withSideEffectsAccepted(true))) {
            new HtraceSession(source).enable(TraceOptions.DEFAULT);
            assertTrue(k.tracing());
        }
    }

    @Test
    void aRestartedEngineAdoptsTheTraceLeftOn() {
        long h;
        try (HandleSource first = consenting().attach(SimulatedKernel.PID, TraceOptions.DEFAULT)) {
            new HtraceSession(first).enable(TraceOptions.DEFAULT);
            h = k.open("Token", 0x8, NTDLL_FRAME, APP_FRAME);
        }
        int enables = k.enableCalls;
        // a new jhtrace run (new engine, no consent needed to adopt)
        try (HandleSource second = engine(WindowsEngineOptions.DEFAULT).attach(SimulatedKernel.PID, TraceOptions.DEFAULT)) {
            assertTrue(second.tracing().orElseThrow().isEnabled());
            new HtraceSession(second).enable(TraceOptions.DEFAULT);
            assertEquals(enables, k.enableCalls, "never re-enabled over the existing trace");
            assertEquals(h, second.tracing().orElseThrow().log().events().get(0).handle(), "history from before the restart is still there");
        }
    }

    @Test
    void theInjectedSymbolsAreMadeOnceAndClosedWithTheSource() {
        int[] made = {0};
        boolean[] closed = {false};
        interface ClosableSymbols extends SymbolResolver, AutoCloseable {
            @Override
            void close();
        }
        WindowsEngine e = new WindowsEngine(WindowsEngineOptions.DEFAULT, pid -> {
            made[0]++;
            assertEquals(SimulatedKernel.PID, pid);
            return new ClosableSymbols() {
                @Override
                public StackFrame resolve(StackFrame frame) {
                    return SYMBOLS.resolve(frame);
                }

                @Override
                public void close() {
                    closed[0] = true;
                }
            };
        }, k::natives, fakeNames());
        try (HandleSource source = e.attach(SimulatedKernel.PID, TraceOptions.DEFAULT)) {
            assertEquals(0, made[0], "made lazily");
            assertEquals("LeakEvents", source.symbols().resolve(StackFrame.unresolved(APP_FRAME)).function());
            source.symbols();
            assertEquals(1, made[0]);
        }
        assertTrue(closed[0]);
    }

    @Test
    void closeCanTurnOffATraceItEnabled() {
        WindowsEngine e = engine(WindowsEngineOptions.DEFAULT.withAcceptInvalidHandleExceptions(true).withOnClose(NtHandleTracing.OnClose.DISABLE_IF_OURS));
        try (HandleSource source = e.attach(SimulatedKernel.PID, TraceOptions.DEFAULT)) {
            new HtraceSession(source).enable(TraceOptions.DEFAULT);
            assertTrue(k.tracing());
        }
        assertFalse(k.tracing());
    }

    @Test
    void handlesHaveTypesNamesAndCounts() {
        long event = k.open("Event", 0x1F0003, APP_FRAME);
        long pipe = k.open("File", 0x0012019F, APP_FRAME); // synchronous pipe-like access: skipped
        try (HandleSource source = consenting().attach(SimulatedKernel.PID, TraceOptions.DEFAULT)) {
            HandleTable table = source.handles();
            assertEquals(SimulatedKernel.PID, table.pid());
            Map<Long, HandleEntry> byHandle = table.byHandle();
            HandleEntry e = byHandle.get(event);
            assertEquals("Event", e.type());
            assertEquals("\\BaseNamedObjects\\evt-" + Long.toHexString(event), e.name());
            assertEquals(0x1F0003L, e.grantedAccess());
            assertEquals(1L, e.handleCount());
            HandleEntry p = byHandle.get(pipe);
            assertEquals("File", p.type());
            assertNull(p.name());
            assertTrue(p.details().get("name").startsWith("name unavailable (skipped"), p.details().toString());
            assertEquals(Map.of("Event", 1, "File", 1), table.countsByType());
        }
    }

    @Test
    void anExitedTargetIsNotFoundAndTheTraceReadSoFarSurvives() {
        try (HandleSource source = consenting().attach(SimulatedKernel.PID, TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source);
            session.enable(TraceOptions.DEFAULT);
            k.open("Event", 0x1F0003, NTDLL_FRAME, APP_FRAME);
            source.tracing().orElseThrow().log(); // read before the exit (the background poller does this every 250 ms)
            k.exit();
            assertFalse(source.isAlive());
            assertEquals(Failure.TARGET_NOT_FOUND, assertThrows(JhtraceException.class, source::handles).failure());
            Diff diff = session.diff(session.lastSnapshot());
            assertEquals(1, diff.size(), "with the process gone, the trace alone decides");
        }
    }

    /** CreateProcessW succeeds, giving the simulated process and the handle of its suspended main thread (returned). */
    private HANDLE startsSuspended() {
        HANDLE thread = new HANDLE(Pointer.createConstant(0x5678));
        when(k.kernel32.CreateProcessW(any(), any(), any(), any(), anyBoolean(), anyInt(), any(), any(), any(), any())).thenAnswer(inv -> {
            WinBase.PROCESS_INFORMATION info = inv.getArgument(9);
            info.hProcess = SimulatedKernel.PROCESS;
            info.hThread = thread;
            info.dwProcessId = new WinDef.DWORD(SimulatedKernel.PID);
            return true;
        });
        return thread;
    }

    @Test
    void launchEnablesTracingBeforeTheFirstInstructionThenResumes() {
        HANDLE thread = startsSuspended();
        WindowsEngine e = engine(WindowsEngineOptions.DEFAULT); // no consent: launching is consent
        try (HandleSource source = e.launch(List.of("C:\\Program Files\\leaky.exe", "--count", "5"), new TraceOptions(16, 256))) {
            assertTrue(k.tracing());
            InOrder order = inOrder(k.kernel32, k.ntdll);
            order.verify(k.kernel32).CreateProcessW(eq(null), eq("\"C:\\Program Files\\leaky.exe\" --count 5\0".toCharArray()), any(), any(), eq(false),
                    eq(NtConstants.CREATE_SUSPENDED | NtConstants.CREATE_UNICODE_ENVIRONMENT), any(), any(), any(), any());
            // the launch protocol: the inherited table, then tracing on, then resumed
            order.verify(k.ntdll).NtQueryInformationProcess(any(), eq(NtConstants.PROCESS_HANDLE_INFORMATION), any(), anyInt(), any());
            order.verify(k.ntdll).NtSetInformationProcess(any(), eq(NtConstants.PROCESS_HANDLE_TRACING), any(), eq(8));
            order.verify(k.kernel32).ResumeThread(thread);
            verify(k.kernel32, never()).OpenProcess(anyInt(), anyBoolean(), anyInt());
            assertEquals(SimulatedKernel.PID, source.target().pid());
        }
    }

    @Test
    void aSessionStartedAfterTheLaunchDiffsFromTheSuspendedProcess() {
        k.open("File", 0x120089); // inherited: open before the first instruction, untraced
        startsSuspended();
        try (HandleSource source = engine(WindowsEngineOptions.DEFAULT).launch(List.of("leaky.exe"), TraceOptions.DEFAULT)) {
            k.open("Event", 0x1F0003, NTDLL_FRAME, APP_FRAME); // the program runs before anyone takes a snapshot
            HtraceSession session = new HtraceSession(source);
            Snapshot launch = session.enable(TraceOptions.DEFAULT);
            assertEquals("launch", launch.name());
            assertEquals(Snapshot.BEFORE_FIRST_EVENT, launch.traceMark());
            assertEquals(List.of("File"), launch.table().entries().stream().map(HandleEntry::type).toList());
            Diff diff = session.diff(launch);
            assertEquals(List.of("Event"), diff.outstanding().stream().map(OutstandingHandle::type).toList());
        }
    }

    @Test
    void launchResumesTheProgramEvenWhenEnablingFails() {
        HANDLE thread = startsSuspended();
        when(k.ntdll.NtSetInformationProcess(any(), eq(NtConstants.PROCESS_HANDLE_TRACING), any(), eq(8))).thenReturn(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
        JhtraceException x = assertThrows(JhtraceException.class, () -> engine(WindowsEngineOptions.DEFAULT).launch(List.of("leaky.exe"), TraceOptions.DEFAULT));
        assertTrue(x.getMessage().contains("STATUS_INSUFFICIENT_RESOURCES"), x.getMessage());
        verify(k.kernel32).ResumeThread(thread);
    }

    private static final HANDLE OUR_STDIN = new HANDLE(Pointer.createConstant(0x30));
    private static final HANDLE OUR_STDERR = new HANDLE(Pointer.createConstant(0x38));

    /** jhtrace's own standard handles, as GetStdHandle gives them. */
    private void stdHandles() {
        when(k.kernel32.GetStdHandle(StdHandles.STD_INPUT_HANDLE)).thenReturn(OUR_STDIN);
        when(k.kernel32.GetStdHandle(StdHandles.STD_ERROR_HANDLE)).thenReturn(OUR_STDERR);
    }

    private static Pointer pointer(HANDLE handle) {
        return handle == null ? null : handle.getPointer();
    }

    /** The STARTUPINFO CreateProcessW was given, after checking bInheritHandles is {@code inherit}. */
    private WinBase.STARTUPINFO startupInfo(boolean inherit) {
        ArgumentCaptor<WinBase.STARTUPINFO> startup = ArgumentCaptor.forClass(WinBase.STARTUPINFO.class);
        verify(k.kernel32).CreateProcessW(any(), any(), any(), any(), eq(inherit),
                eq(NtConstants.CREATE_SUSPENDED | NtConstants.CREATE_UNICODE_ENVIRONMENT), any(), any(), startup.capture(), any());
        return startup.getValue();
    }

    @Test
    void launchWithOutputToStderrGivesTheProgramJhtracesStderrForItsOutputAndInheritsIt() {
        stdHandles();
        HANDLE thread = startsSuspended();
        try (HandleSource source = engine(WindowsEngineOptions.DEFAULT).launch(List.of("leaky.exe"), TraceOptions.DEFAULT, TargetOutput.STDERR)) {
            assertTrue(k.tracing());
            WinBase.STARTUPINFO startup = startupInfo(true);
            assertEquals(StdHandles.STARTF_USESTDHANDLES, startup.dwFlags & StdHandles.STARTF_USESTDHANDLES);
            assertEquals(OUR_STDIN, startup.hStdInput);
            assertEquals(OUR_STDERR, startup.hStdOutput);
            assertEquals(OUR_STDERR, startup.hStdError);
            verify(k.kernel32).ResumeThread(thread);
            assertEquals(SimulatedKernel.PID, source.target().pid());
        }
    }

    @Test
    void launchWithInheritedOutputLeavesStartupInfoAsBefore() {
        stdHandles();
        HANDLE thread = startsSuspended();
        for (TargetOutput inherit : new TargetOutput[] {TargetOutput.INHERIT, null}) {
            org.mockito.Mockito.clearInvocations(k.kernel32);
            WindowsEngine e = engine(WindowsEngineOptions.DEFAULT);
            try (HandleSource source = inherit == null ? e.launch(List.of("leaky.exe"), TraceOptions.DEFAULT)
                    : e.launch(List.of("leaky.exe"), TraceOptions.DEFAULT, inherit)) {
                WinBase.STARTUPINFO startup = startupInfo(false);
                assertEquals(0, startup.dwFlags);
                assertNull(pointer(startup.hStdInput)); // JNA may have put a HANDLE of NULL in the field
                assertNull(pointer(startup.hStdOutput));
                assertNull(pointer(startup.hStdError));
                verify(k.kernel32, never()).GetStdHandle(anyInt());
                verify(k.kernel32).ResumeThread(thread);
            }
        }
    }

    @Test
    void launchWithOutputToStderrResumesTheProgramEvenWhenEnablingFails() {
        stdHandles();
        HANDLE thread = startsSuspended();
        when(k.ntdll.NtSetInformationProcess(any(), eq(NtConstants.PROCESS_HANDLE_TRACING), any(), eq(8))).thenReturn(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
        assertThrows(JhtraceException.class, () -> engine(WindowsEngineOptions.DEFAULT).launch(List.of("leaky.exe"), TraceOptions.DEFAULT, TargetOutput.STDERR));
        verify(k.kernel32).ResumeThread(thread);
        verify(k.kernel32).CloseHandle(thread);
        assertTrue((startupInfo(true).dwFlags & StdHandles.STARTF_USESTDHANDLES) != 0);
    }

    @Test
    void launchWithOutputToStderrResumesTheProgramWhenReadingItsHandlesFails() {
        stdHandles();
        HANDLE thread = startsSuspended();
        when(k.ntdll.NtQueryInformationProcess(any(), eq(NtConstants.PROCESS_HANDLE_INFORMATION), any(), anyInt(), any()))
                .thenReturn(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
        assertThrows(RuntimeException.class, () -> engine(WindowsEngineOptions.DEFAULT).launch(List.of("leaky.exe"), TraceOptions.DEFAULT, TargetOutput.STDERR));
        verify(k.kernel32).ResumeThread(thread);
        verify(k.kernel32).CloseHandle(thread);
    }

    @Test
    void aProgramThatCannotStartWithOutputToStderrIsBadInputAndNothingIsResumed() {
        stdHandles();
        when(k.kernel32.CreateProcessW(any(), any(), any(), any(), anyBoolean(), anyInt(), any(), any(), any(), any())).thenReturn(false);
        WindowsEngine e = new WindowsEngine(WindowsEngineOptions.DEFAULT, pid -> SYMBOLS,
                () -> new WindowsNative(k.ntdll, k.kernel32, k.advapi32, k.layout, () -> 2), fakeNames());
        JhtraceException x = assertThrows(JhtraceException.class, () -> e.launch(List.of("no-such.exe"), TraceOptions.DEFAULT, TargetOutput.STDERR));
        assertEquals(Failure.BAD_INPUT, x.failure());
        verify(k.kernel32, never()).ResumeThread(any());
    }

    @Test
    void aProgramThatCannotStartIsBadInput() {
        when(k.kernel32.CreateProcessW(any(), any(), any(), any(), anyBoolean(), anyInt(), any(), any(), any(), any())).thenReturn(false);
        WindowsEngine e = new WindowsEngine(WindowsEngineOptions.DEFAULT, pid -> SYMBOLS,
                () -> new WindowsNative(k.ntdll, k.kernel32, k.advapi32, k.layout, () -> 2), fakeNames()); // ERROR_FILE_NOT_FOUND
        JhtraceException x = assertThrows(JhtraceException.class, () -> e.launch(List.of("no-such.exe"), TraceOptions.DEFAULT));
        assertEquals(Failure.BAD_INPUT, x.failure());
        assertEquals("cannot start no-such.exe (Win32 error 2)", x.getMessage());
        verify(k.kernel32, never()).ResumeThread(any());
    }

    /** The leak of {@link #enableSnapshotDiffReportThroughHtraceSession}, reported. */
    private LeakReport leakReport(WindowsEngine e) {
        try (HandleSource source = e.attach(SimulatedKernel.PID, TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source);
            session.enable(new TraceOptions(16, 4096));
            for (int i = 0; i < 5; i++) k.open("Event", 0x1F0003, KERNEL, NTDLL_FRAME, APP_FRAME, APP_OTHER);
            return session.report(session.diff(session.lastSnapshot()), LeakAnalyzer.DEFAULT);
        }
    }

    @Test
    void seDebugPrivilegeIsEnabledBeforeAnyTargetIsOpenedSoStacksNameTheLeak() {
        LeakReport report = leakReport(consenting());
        InOrder order = inOrder(k.advapi32, k.kernel32);
        order.verify(k.advapi32).AdjustTokenPrivileges(any(), eq(false), any(), anyInt(), any(), any());
        order.verify(k.kernel32).OpenProcess(anyInt(), anyBoolean(), eq(SimulatedKernel.PID));
        assertEquals("LeakEvents", report.groups().get(0).leakFrame().function(), "the 24H2 kernel gave the stacks: the privilege was enabled");
        assertEquals(List.of(), warned);
    }

    @Test
    void withoutThePrivilegeEveryStackIsEmptyAndOneLineSaysWhyAndWhatToDo() {
        k.debugPrivilegeHeld = false; // not elevated: AdjustTokenPrivileges assigns nothing
        WindowsEngine e = consenting();
        LeakReport report = leakReport(e);
        assertEquals(5, report.outstanding(), "the table diff still finds the leak");
        assertNull(report.groups().get(0).leakFrame(), "but no frame can be named");
        String privilege = "SeDebugPrivilege is not held by this account (AdjustTokenPrivileges: ERROR_NOT_ALL_ASSIGNED): "
                + DebugPrivilege.CONSEQUENCE + "; run jhtrace from an elevated (administrator) prompt";
        assertEquals(List.of(privilege, NtHandleTracing.EMPTY_STACKS_WARNING + " (5 entries read): " + privilege), warned);
        assertEquals("ntdll handle tracing and enumeration (64-bit); warning: " + privilege, e.loadedAvailability().detail(), "doctor's line");
    }

    @Test
    void aServiceNeedsThePrivilegeAndTheErrorNamesTheRight() {
        k.targetIsService = true;
        k.debugPrivilegeHeld = false;
        JhtraceException denied = assertThrows(JhtraceException.class, () -> consenting().attach(SimulatedKernel.PID, TraceOptions.DEFAULT));
        assertEquals(Failure.PERMISSION_DENIED, denied.failure());
        assertEquals("access denied opening process 4242 with PROCESS_QUERY_INFORMATION (needed to read its handle table and trace): "
                + "SeDebugPrivilege is not enabled, which services and other users' processes need; run jhtrace from an elevated (administrator) prompt",
                denied.getMessage());
        SimulatedKernel elevated = new SimulatedKernel();
        elevated.targetIsService = true;
        new WindowsEngine(WindowsEngineOptions.DEFAULT, pid -> SYMBOLS, elevated::natives, fakeNames()).attach(SimulatedKernel.PID, TraceOptions.DEFAULT).close();
    }

    @Test
    void enablingOpensTheTargetWithSetInformationForThatCallOnly() {
        try (HandleSource source = consenting().attach(SimulatedKernel.PID, TraceOptions.DEFAULT)) {
            new HtraceSession(source).enable(TraceOptions.DEFAULT);
            assertTrue(k.tracing());
        }
        List<Integer> rights = List.copyOf(k.openedProcessHandles().values());
        assertEquals(List.of(NtConstants.PROCESS_QUERY_INFORMATION, NtConstants.PROCESS_SET_INFORMATION), rights);
        for (long h : k.openedProcessHandles().keySet()) verify(k.kernel32).CloseHandle(new HANDLE(Pointer.createConstant(h)));
    }

    @Test
    void aCaptureCanTrimTheWindowsTrace() {
        try (HandleSource source = consenting().attach(SimulatedKernel.PID, TraceOptions.DEFAULT)) {
            // the capture's Recorder trims every tracing that offers it, so a Windows capture stays bounded too
            assertInstanceOf(dev.jhtrace.spi.TraceTrimming.class, source.tracing().orElseThrow());
        }
    }

    @Test
    void handlesOfAPidAreListedWithoutAttachingOrTracing() {
        long event = k.open("Event", 0x1F0003, APP_FRAME);
        HandleTable table = consenting().handles(SimulatedKernel.PID);
        assertEquals(SimulatedKernel.PID, table.pid());
        assertEquals("Event", table.byHandle().get(event).type());
        assertEquals("\\BaseNamedObjects\\evt-" + Long.toHexString(event), table.byHandle().get(event).name());
        assertEquals(List.of(NtConstants.PROCESS_QUERY_INFORMATION), List.copyOf(k.openedProcessHandles().values()));
        verify(k.kernel32).CloseHandle(new HANDLE(Pointer.createConstant(k.openedProcessHandles().keySet().iterator().next())));
        verify(k.ntdll, never()).NtSetInformationProcess(any(), anyInt(), any(), anyInt());
        assertFalse(k.tracing());
        assertEquals(Failure.TARGET_NOT_FOUND, assertThrows(JhtraceException.class, () -> {
            k.openProcessError = NtConstants.ERROR_INVALID_PARAMETER;
            consenting().handles(999_999);
        }).failure());
    }

    @Test
    void handlesOnOlderWindowsComeFromTheSystemTableFilteredByPid() {
        k.handleClassStatus = NtStatus.STATUS_INVALID_INFO_CLASS; // Windows 7: no ProcessHandleInformation
        long key = k.open("Key", 0x20019, APP_FRAME);
        HandleTable table = consenting().handles(SimulatedKernel.PID);
        assertEquals(List.of(key), table.entries().stream().map(HandleEntry::handle).toList(), "the other process's handles are left out");
    }

    @Test
    void namesThatCannotBeServedLeaveTheListingTheLaunchAndOneWarning() {
        long event = k.open("Event", 0x1F0003, APP_FRAME);
        WindowsEngine e = new WindowsEngine(WindowsEngineOptions.DEFAULT.withAcceptInvalidHandleExceptions(true), pid -> SYMBOLS, k::natives,
                pid -> new ObjectNameClient(List.of("/nonexistent/jhtrace-name-helper"), 1000, 1000), warned::add);
        for (int listing = 0; listing < 2; listing++) { // capture and watch list again and again
            HandleEntry entry = e.handles(SimulatedKernel.PID).byHandle().get(event);
            assertEquals("Event", entry.type());
            assertNull(entry.name());
            assertTrue(entry.details().get("name").startsWith("name unavailable (name helper unavailable: cannot start the object-name helper"),
                    entry.details().toString());
        }
        startsSuspended();
        try (HandleSource launched = e.launch(List.of("leaky.exe"), TraceOptions.DEFAULT)) {
            assertTrue(launched.launchSnapshot().isPresent(), "the launch went on");
        }
        assertEquals(1, warned.size(), warned.toString());
        assertTrue(warned.get(0).startsWith("object names of process 4242 are unavailable (cannot start the object-name helper"), warned.get(0));
    }

    @Test
    void aWow64TargetIsSaidToHaveNo32BitFramesInsteadOfASilentReport() {
        k.targetIsWow64 = true;
        long wow64cpu = 0x00007FFA_30001000L, app32 = 0x0040_1234L;
        SymbolResolver symbols = f -> f.address() == wow64cpu ? new StackFrame(f.address(), "wow64cpu", "TurboDispatchJumpAddressEnd", 0x10L, null, null)
                : f.address() == app32 ? new StackFrame(f.address(), "leaky32", "LeakEvents", 0x34L, "leaky.c", 21) : SYMBOLS.resolve(f);
        WindowsEngine e = new WindowsEngine(WindowsEngineOptions.DEFAULT.withAcceptInvalidHandleExceptions(true), pid -> symbols, k::natives, fakeNames(), warned::add);
        try (HandleSource source = e.attach(SimulatedKernel.PID, TraceOptions.DEFAULT)) {
            assertEquals(List.of(dev.jhtrace.dbgeng.nt.Wow64.warning(SimulatedKernel.PID)), warned, "said at attach, before any report");
            HtraceSession session = new HtraceSession(source);
            session.enable(TraceOptions.DEFAULT);
            for (int i = 0; i < 3; i++) k.open("Event", 0x1F0003, KERNEL, NTDLL_FRAME, wow64cpu, app32);
            LeakReport report = session.report(session.diff(session.lastSnapshot()), LeakAnalyzer.DEFAULT);
            assertEquals(3, report.outstanding());
            assertEquals(2, report.groups().get(0).stack().depth(), "what the entries hold is decoded: ntdll and wow64cpu");
            assertEquals("wow64cpu", report.groups().get(0).leakFrame().module(),
                    "with only system frames the analyzer falls back to the outermost one, never the 32-bit code: the warning above says why");
        }
        assertTrue(warned.get(0).contains("wpr -start Handle"), "and what to do instead");
    }

    @Test
    void aNativeTargetGetsNoWow64Warning() {
        consenting().attach(SimulatedKernel.PID, TraceOptions.DEFAULT).close();
        assertEquals(List.of(), warned);
    }

    @Test
    void handlesDuplicatedInByAnotherProcessAreFlaggedNotSymbolizedAgainstTheTarget() {
        try (HandleSource source = consenting().attach(SimulatedKernel.PID, TraceOptions.DEFAULT)) {
            HtraceSession session = new HtraceSession(source);
            session.enable(TraceOptions.DEFAULT);
            k.open("Event", 0x1F0003, NTDLL_FRAME, APP_FRAME);
            long dup = k.duplicateIn(777, "Event", 0x1F0003, NTDLL_FRAME, APP_OTHER); // APP_OTHER is an address in process 777
            Diff diff = session.diff(session.lastSnapshot());
            OutstandingHandle duplicated = diff.outstanding().stream().filter(o -> o.handle() == dup).findFirst().orElseThrow();
            assertEquals(0, duplicated.open().stack().depth(), "not resolved against the target's modules");
            assertEquals(777, duplicated.open().pid(), "the event still says who duplicated it in");
            assertEquals(List.of("handles were duplicated into process 4242 by process(es) [777]: their stacks belong to those processes, "
                    + "so they are listed without a stack"), warned);
            LeakReport report = session.report(diff, LeakAnalyzer.DEFAULT);
            assertTrue(report.groups().stream().noneMatch(g -> g.leakFrame() != null && g.leakFrame().function().equals("main")), "APP_OTHER never named");
        }
    }

    @Test
    void aHelperThatCannotOpenTheTargetLeavesTheLeakReportWithoutNames() {
        WindowsEngine e = new WindowsEngine(WindowsEngineOptions.DEFAULT.withAcceptInvalidHandleExceptions(true), pid -> SYMBOLS, k::natives,
                pid -> new ObjectNameClient(FakeNameHelper.command("--refuse"), 5000, 30_000), warned::add);
        LeakReport report = leakReport(e);
        assertEquals("LeakEvents", report.groups().get(0).leakFrame().function(), "the leak is still found and named");
        assertEquals(List.of("object names of process 4242 are unavailable (the object-name helper did not start (said cannot serve names: "
                + "cannot open process 4242 with PROCESS_DUP_HANDLE (access denied))); listing handles without them"), warned);
    }

    @Test
    void findProcessesMatchesImageNamesWithOrWithoutExe() {
        String self = ProcessHandle.current().info().command().map(c -> java.nio.file.Path.of(c).getFileName().toString()).orElseThrow();
        String bare = self.endsWith(".exe") ? self.substring(0, self.length() - 4) : self;
        List<Engine.ProcessInfo> found = consenting().findProcesses(bare);
        assertTrue(found.stream().anyMatch(p -> p.pid() == ProcessHandle.current().pid()), found.toString());
        assertTrue(consenting().findProcesses("no-such-process-jhtrace").isEmpty());
        assertEquals(Failure.BAD_INPUT, assertThrows(JhtraceException.class, () -> consenting().findProcesses(" ")).failure());
    }
}
