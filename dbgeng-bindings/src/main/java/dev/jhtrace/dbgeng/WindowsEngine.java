package dev.jhtrace.dbgeng;

import com.sun.jna.platform.win32.WinBase;
import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.ptr.IntByReference;
import dev.jhtrace.dbgeng.api.DbgEngDoctor;
import dev.jhtrace.dbgeng.nt.DebugPrivilege;
import dev.jhtrace.dbgeng.nt.KernelTraceRing;
import dev.jhtrace.dbgeng.nt.NtConstants;
import dev.jhtrace.dbgeng.nt.NtHandleTracing;
import dev.jhtrace.dbgeng.nt.NtStatus;
import dev.jhtrace.dbgeng.nt.ObjectNameClient;
import dev.jhtrace.dbgeng.nt.ObjectTypeTable;
import dev.jhtrace.dbgeng.nt.StdHandles;
import dev.jhtrace.dbgeng.nt.WindowsNative;
import dev.jhtrace.dbgeng.nt.Wow64;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.SuspendedLaunch;
import dev.jhtrace.spi.SymbolResolver;
import dev.jhtrace.spi.TargetOutput;
import dev.jhtrace.spi.TraceOptions;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The Windows engine ({@code windows}; {@code dbgeng}, its former name, is an alias): live processes
 * through ntdll handle enumeration and kernel handle tracing, with symbols from an injected resolver
 * (dbgeng attached non-invasively, without suspending). jhtrace never debugs or pauses the target:
 * attach only opens the process.
 * <p>
 * Found by ServiceLoader with {@link WindowsEngineOptions#fromProperties} over the system properties
 * and dbgeng symbols ({@link NonInvasiveSymbols}); the shell builds it with {@link #WindowsEngine(WindowsEngineOptions, IntFunction)}
 * to pass the CLI's flags and the dbgeng symbol resolver.
 */
public final class WindowsEngine implements Engine {
    /** The engine's name: what it reaches (Windows processes), not one of the libraries it uses. */
    public static final String NAME = "windows";
    /** The name it had first, still accepted by {@code --engine}. */
    public static final String FORMER_NAME = "dbgeng";
    private static final long NAME_HELPER_START_MILLIS = 20_000;

    private final WindowsEngineOptions options;
    /** (pid, symbol path of the trace options) -> the target's symbols */
    private final BiFunction<Integer, List<String>, SymbolResolver> symbols;
    private final Supplier<WindowsNative> loader;
    private final IntFunction<ObjectNameClient> nameClients;
    private final Consumer<String> warnings;
    private WindowsNative nat;
    private DebugPrivilege.Outcome debugPrivilege;
    private ObjectTypeTable types;

    /** One-line warnings on stderr, as the CLI prints them. */
    private static final Consumer<String> STDERR = m -> System.err.println("jhtrace: warning: " + m);

    /** For ServiceLoader: options from the system properties, symbols from a non-invasive, non-suspending dbgeng attach. */
    public WindowsEngine() {
        this(WindowsEngineOptions.fromProperties(System.getProperties()),
                (pid, symbolPath) -> NonInvasiveSymbols.forPid(pid, p -> NonInvasiveSymbols.attach(p, symbolPath), STDERR),
                WindowsNative::load, null, STDERR);
    }

    /**
     * @param options engine settings (the CLI's {@code --accept-invalid-handle-exceptions} goes here)
     * @param symbols pid -> symbol resolver, e.g. the dbgeng non-invasive symbols
     */
    public WindowsEngine(WindowsEngineOptions options, IntFunction<SymbolResolver> symbols) {
        this(options, symbols, WindowsNative::load, null);
    }

    /** For tests: another native layer and name helper. A null {@code nameClients} runs the Java helper. */
    public WindowsEngine(WindowsEngineOptions options, IntFunction<SymbolResolver> symbols, Supplier<WindowsNative> loader,
                         IntFunction<ObjectNameClient> nameClients) {
        this(options, symbols, loader, nameClients, STDERR);
    }

    /** As above, with where one-line warnings go (names unavailable, empty stacks, SeDebugPrivilege missing). */
    public WindowsEngine(WindowsEngineOptions options, IntFunction<SymbolResolver> symbols, Supplier<WindowsNative> loader,
                         IntFunction<ObjectNameClient> nameClients, Consumer<String> warnings) {
        this(options, (pid, symbolPath) -> symbols.apply(pid), loader, nameClients, warnings);
    }

    private WindowsEngine(WindowsEngineOptions options, BiFunction<Integer, List<String>, SymbolResolver> symbols, Supplier<WindowsNative> loader,
                          IntFunction<ObjectNameClient> nameClients, Consumer<String> warnings) {
        this.options = options;
        this.symbols = symbols;
        this.loader = loader;
        java.util.Set<String> said = java.util.concurrent.ConcurrentHashMap.newKeySet();
        this.warnings = w -> {
            if (said.add(w)) warnings.accept(w); // each distinct warning once per engine, however often a listing repeats
        };
        this.nameClients = nameClients != null ? nameClients
                : pid -> new ObjectNameClient(ObjectNameClient.javaWorkerCommand(pid), options.nameTimeoutMillis(), NAME_HELPER_START_MILLIS);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> aliases() {
        return List.of(FORMER_NAME);
    }

    @Override
    public List<String> diagnostics() {
        // the dbgeng setup matters only where dbgeng can load; elsewhere availability() already says why not
        if (!WindowsNative.isWindows()) return List.of();
        return DbgEngDoctor.describe().toText().lines().toList();
    }

    @Override
    public Availability availability() {
        if (!WindowsNative.isWindows()) return new Availability(false, "the Windows engine runs on Windows only");
        return loadedAvailability();
    }

    /** Availability once on Windows: the native layer loads, and what SeDebugPrivilege gives (doctor's line). */
    Availability loadedAvailability() {
        try {
            DebugPrivilege.Outcome privilege = debugPrivilege();
            return new Availability(true, "ntdll handle tracing and enumeration (" + (natives().layout().pointerSize() * 8) + "-bit); "
                    + (privilege.enabled() ? privilege.describe() : "warning: " + privilege.describe()));
        } catch (JhtraceException e) {
            return new Availability(false, e.getMessage());
        }
    }

    /**
     * Loads the native layer and, before any target is opened, enables SeDebugPrivilege in this
     * process's token (see {@link DebugPrivilege}); without it, says once what will be missing.
     */
    private synchronized WindowsNative natives() {
        if (nat == null) {
            WindowsNative loaded = loader.get();
            debugPrivilege = DebugPrivilege.enable(loaded);
            nat = loaded;
            if (!debugPrivilege.enabled()) warnings.accept(debugPrivilege.describe());
        }
        return nat;
    }

    /** What enabling SeDebugPrivilege gave (loads the native layer). */
    public synchronized DebugPrivilege.Outcome debugPrivilege() {
        natives();
        return debugPrivilege;
    }

    /** The object types of this boot, read once per engine. */
    private synchronized ObjectTypeTable types() {
        if (types == null) {
            types = ObjectTypeTable.read(natives().ntdll(), natives().layout(),
                    ObjectTypeTable.hasTypeIndexField(System.getProperty("os.version")));
        }
        return types;
    }

    /**
     * Opens the process for reading only (no debugger, no suspension); enabling tracing opens it again
     * with PROCESS_SET_INFORMATION for that call, and needs the consent in the options.
     */
    @Override
    public HandleSource attach(int pid, TraceOptions traceOptions) {
        WindowsNative n = natives();
        HANDLE process = open(n, pid, NtConstants.READ_ACCESS, "PROCESS_QUERY_INFORMATION", "read its handle table and trace");
        return tracedSource(n, pid, process, traceOptions.symbolPath(), call -> {
            HANDLE settable = open(n, pid, NtConstants.PROCESS_SET_INFORMATION, "PROCESS_SET_INFORMATION", "turn handle tracing on or off");
            try {
                return call.applyAsInt(settable);
            } finally {
                n.kernel32().CloseHandle(settable);
            }
        }, options.acceptInvalidHandleExceptions() || traceOptions.sideEffectsAccepted());
    }

    /** A source whose trace will be read: a WoW64 target is said to have no 32-bit frames before any report comes out without them. */
    private NtHandleSource tracedSource(WindowsNative n, int pid, HANDLE process, List<String> symbolPath, KernelTraceRing.SetAccess setAccess,
                                        boolean consent) {
        NtHandleSource source = source(n, pid, process, symbolPath, setAccess, consent);
        if (source.isWow64()) warnings.accept(Wow64.warning(pid));
        return source;
    }

    /**
     * The handles {@code pid} has open, read without attaching: ProcessHandleInformation (or the
     * system-wide table filtered by pid), type names, and object names through the killable helper.
     */
    @Override
    public HandleTable handles(int pid) {
        WindowsNative n = natives();
        HANDLE process = open(n, pid, NtConstants.READ_ACCESS, "PROCESS_QUERY_INFORMATION", "read its handle table");
        try (NtHandleSource source = source(n, pid, process, List.of(), call -> NtStatus.STATUS_ACCESS_DENIED, false)) {
            return source.handles(); // never enables tracing: the listing has no stacks
        }
    }

    private HANDLE open(WindowsNative n, int pid, int access, String accessName, String purpose) {
        if (pid <= 0) throw new JhtraceException(Failure.BAD_INPUT, "process id must be positive, not " + pid);
        HANDLE process = n.kernel32().OpenProcess(access, false, pid);
        if (process == null) throw openError(pid, n.lastError().getAsInt(), accessName, purpose, debugPrivilege);
        return process;
    }

    private NtHandleSource source(WindowsNative n, int pid, HANDLE process, List<String> symbolPath, KernelTraceRing.SetAccess setAccess,
                                  boolean consent) {
        IntFunction<SymbolResolver> targetSymbols = target -> symbols.apply(target, symbolPath);
        return new NtHandleSource(n, pid, process, setAccess, imageName(n, process), this::types, targetSymbols, options, nameClients, consent,
                Clock.systemUTC(), this::sourceWarning);
    }

    /** A source's warning, with the cause and the fix added to the empty-stacks one. */
    private void sourceWarning(String warning) {
        if (!warning.startsWith(NtHandleTracing.EMPTY_STACKS_WARNING)) {
            warnings.accept(warning);
        } else if (debugPrivilege != null && !debugPrivilege.enabled()) {
            warnings.accept(warning + ": " + debugPrivilege.describe());
        } else {
            warnings.accept(warning + ": the kernel recorded no frames although SeDebugPrivilege is enabled "
                    + "(a Restrict-Kernel-Address-Leaks policy, or a kernel that withholds stacks); the handle counts and the table diff still hold");
        }
    }

    /**
     * The error for a failed OpenProcess, naming the access right that was refused and whether
     * SeDebugPrivilege (which overrides the target's security descriptor) was enabled.
     */
    static JhtraceException openError(int pid, int win32Error, String accessName, String purpose, DebugPrivilege.Outcome privilege) {
        return switch (win32Error) {
            case NtConstants.ERROR_ACCESS_DENIED -> new JhtraceException(Failure.PERMISSION_DENIED,
                    "access denied opening process " + pid + " with " + accessName + " (needed to " + purpose + "): "
                            + (privilege == null || !privilege.enabled()
                            ? "SeDebugPrivilege is not enabled, which services and other users' processes need; run jhtrace from an elevated (administrator) prompt"
                            : "refused although SeDebugPrivilege is enabled: the process is protected (PPL) and cannot be traced"));
            case NtConstants.ERROR_INVALID_PARAMETER -> new JhtraceException(Failure.TARGET_NOT_FOUND, "no process with id " + pid);
            default -> new JhtraceException(Failure.OTHER, "cannot open process " + pid + " with " + accessName + " (Win32 error " + win32Error + ")");
        };
    }

    private static String imageName(WindowsNative n, HANDLE process) {
        char[] buffer = new char[32768];
        IntByReference size = new IntByReference(buffer.length);
        if (!n.kernel32().QueryFullProcessImageNameW(process, 0, buffer, size)) return null; // the name is only for display
        return fileName(new String(buffer, 0, Math.min(size.getValue(), buffer.length)));
    }

    /**
     * Starts {@code command} suspended, turns handle tracing on before its first instruction, then lets
     * it run. Launching a program under jhtrace counts as accepting the invalid-handle exceptions (it is
     * a test run, not a production process). The program runs on even if enabling fails.
     */
    @Override
    public HandleSource launch(List<String> command, TraceOptions traceOptions) {
        return launch(command, traceOptions, TargetOutput.INHERIT);
    }

    /**
     * As {@link #launch(List, TraceOptions)}; with {@link TargetOutput#STDERR} the program's standard output
     * and standard error are jhtrace's standard error (its standard input stays jhtrace's), so that
     * {@code leaks --json -- CMD} keeps standard output for the report.
     */
    @Override
    public HandleSource launch(List<String> command, TraceOptions traceOptions, TargetOutput output) {
        String commandLine = WindowsCommandLine.join(command);
        WindowsNative n = natives();
        WinBase.STARTUPINFO startup = new WinBase.STARTUPINFO();
        boolean inherit = false;
        if (output == TargetOutput.STDERR) {
            startup.dwFlags |= StdHandles.STARTF_USESTDHANDLES;
            startup.hStdInput = n.kernel32().GetStdHandle(StdHandles.STD_INPUT_HANDLE);
            HANDLE err = n.kernel32().GetStdHandle(StdHandles.STD_ERROR_HANDLE);
            startup.hStdOutput = err;
            startup.hStdError = err;
            // STARTF_USESTDHANDLES needs bInheritHandles: the std handles reach the child only by inheritance
            // (and only if they are inheritable, as handles jhtrace was itself started with are). It also makes
            // the child inherit every other inheritable handle of this JVM: the JDK opens files and sockets
            // non-inheritable, so that is little more than these std handles (and, briefly, the pipes of a
            // ProcessBuilder started at the same moment). Acceptable: the child gets no rights it could not be
            // given anyway, the JVM's handles stay open in jhtrace regardless, and what the child inherits is in
            // the launch snapshot read below while it is suspended, so it is never reported as a leak.
            // PROC_THREAD_ATTRIBUTE_HANDLE_LIST would narrow it to these handles, at the cost of STARTUPINFOEX
            // and the attribute-list calls, which jna-platform does not declare.
            inherit = true;
        }
        boolean inheritHandles = inherit;
        return new SuspendedLaunch<WinBase.PROCESS_INFORMATION, NtHandleSource>() {
            @Override
            protected WinBase.PROCESS_INFORMATION startSuspended() {
                WinBase.PROCESS_INFORMATION info = new WinBase.PROCESS_INFORMATION();
                if (!n.kernel32().CreateProcessW(null, (commandLine + "\0").toCharArray(), null, null, inheritHandles,
                        NtConstants.CREATE_SUSPENDED | NtConstants.CREATE_UNICODE_ENVIRONMENT, null, null, startup, info)) {
                    int error = n.lastError().getAsInt();
                    // 2 and 3: file or path not found
                    throw new JhtraceException(error == 2 || error == 3 ? Failure.BAD_INPUT : Failure.OTHER,
                            "cannot start " + command.get(0) + " (Win32 error " + error + ")");
                }
                return info;
            }

            @Override
            protected NtHandleSource attach(WinBase.PROCESS_INFORMATION info) {
                HANDLE full = info.hProcess; // CreateProcess's handle has every right, SET_INFORMATION included
                return tracedSource(n, info.dwProcessId.intValue(), full, traceOptions.symbolPath(), call -> call.applyAsInt(full), true);
            }

            @Override
            protected void mark(NtHandleSource source, Snapshot launch) {
                source.markLaunch(launch);
            }

            @Override
            protected void enable(NtHandleSource source) {
                source.tracing().orElseThrow().enable(traceOptions);
            }

            @Override
            protected void resume(WinBase.PROCESS_INFORMATION info, NtHandleSource source) {
                n.kernel32().ResumeThread(info.hThread);
            }

            @Override
            protected void resumeAbandoned(WinBase.PROCESS_INFORMATION info) {
                n.kernel32().ResumeThread(info.hThread); // never leave the program suspended
            }

            @Override
            protected void release(WinBase.PROCESS_INFORMATION info) {
                n.kernel32().CloseHandle(info.hThread);
            }
        }.run();
    }

    /** The last part of a Windows or POSIX path ({@code C:\\apps\\leaky.exe} gives {@code leaky.exe}). */
    static String fileName(String path) {
        int cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
        return path.substring(cut + 1);
    }

    /** Running processes whose image name is {@code name} (with or without {@code .exe}), from the JDK's process list. */
    @Override
    public List<ProcessInfo> findProcesses(String name) {
        if (name == null || name.isBlank()) throw new JhtraceException(Failure.BAD_INPUT, "process name is empty");
        String wanted = name.toLowerCase(Locale.ROOT);
        return ProcessHandle.allProcesses().map(p -> {
            String cmd = p.info().command().orElse(null);
            if (cmd == null) return null;
            String image = fileName(cmd);
            String lower = image.toLowerCase(Locale.ROOT);
            if (!lower.equals(wanted) && !lower.equals(wanted + ".exe")) return null;
            return new ProcessInfo((int) p.pid(), image, p.info().commandLine().orElse(cmd));
        }).filter(java.util.Objects::nonNull).toList();
    }
}
