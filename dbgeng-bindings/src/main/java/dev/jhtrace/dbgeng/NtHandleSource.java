package dev.jhtrace.dbgeng;

import com.sun.jna.platform.win32.WinNT.HANDLE;
import com.sun.jna.ptr.IntByReference;
import dev.jhtrace.dbgeng.nt.KernelHandleTable;
import dev.jhtrace.dbgeng.nt.KernelTraceRing;
import dev.jhtrace.dbgeng.nt.NameLookup;
import dev.jhtrace.dbgeng.nt.NtConstants;
import dev.jhtrace.dbgeng.nt.NtHandleTracing;
import dev.jhtrace.dbgeng.nt.ObjectNameClient;
import dev.jhtrace.dbgeng.nt.ObjectTypeTable;
import dev.jhtrace.dbgeng.nt.RawHandle;
import dev.jhtrace.dbgeng.nt.WindowsNative;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.Snapshot;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.SymbolResolver;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A live Windows process read through ntdll, without a debugger: the handle table as handle.exe
 * lists it and kernel handle tracing as {@code !htrace} uses it. The target is never suspended or
 * debugged. {@link #close()} closes jhtrace's process handle, stops the name helper, closes the symbol
 * resolver when it is {@link AutoCloseable}, and leaves the trace on or turns it off as
 * {@link WindowsEngineOptions#onClose()} says.
 */
public final class NtHandleSource implements HandleSource {
    private final WindowsNative nat;
    private final HANDLE process;
    private final TargetInfo target;
    private final Supplier<ObjectTypeTable> types;
    private final IntFunction<SymbolResolver> symbolsForPid;
    private final WindowsEngineOptions options;
    private final IntFunction<ObjectNameClient> nameClients;
    private final KernelHandleTable handleTable;
    private final NtHandleTracing tracing;
    private final Clock clock;
    private final java.util.function.Consumer<String> warnings;
    private SymbolResolver symbols;
    private ObjectNameClient names;
    private String namesUnavailable; // why the name helper cannot serve this target, once it failed
    private Snapshot launchSnapshot;
    private boolean closed;

    /**
     * @param nat           ntdll and kernel32
     * @param pid           the target
     * @param process       the target opened with {@link NtConstants#READ_ACCESS} or more (owned: closed by {@link #close()})
     * @param setAccess     how enabling and disabling the trace get a handle with PROCESS_SET_INFORMATION
     * @param imageName     the target's image name, or null
     * @param types         the system's object types (cached by the engine)
     * @param symbolsForPid symbol resolver factory (the dbgeng non-invasive symbols), called once, on first use
     * @param options       engine settings
     * @param nameClients   makes the object-name helper for a pid (tests substitute another command)
     * @param consent       whether enabling tracing is allowed without further confirmation
     * @param warnings      one-line warnings (names unavailable, empty stacks), each said once
     */
    public NtHandleSource(WindowsNative nat, int pid, HANDLE process, KernelTraceRing.SetAccess setAccess, String imageName,
                          Supplier<ObjectTypeTable> types, IntFunction<SymbolResolver> symbolsForPid, WindowsEngineOptions options,
                          IntFunction<ObjectNameClient> nameClients, boolean consent, Clock clock, java.util.function.Consumer<String> warnings) {
        this.nat = nat;
        this.process = process;
        this.target = new TargetInfo(pid, imageName);
        this.types = types;
        this.symbolsForPid = symbolsForPid;
        this.options = options;
        this.nameClients = nameClients;
        this.clock = clock;
        this.warnings = warnings;
        this.handleTable = new KernelHandleTable(nat.ntdll(), nat.layout(), process, pid);
        this.tracing = new NtHandleTracing(new KernelTraceRing(nat.ntdll(), nat.layout(), process, setAccess), nat.layout(),
                consent, options.pollIntervalMillis(), this::isAlive, options.onClose(), warnings, pid);
    }

    @Override
    public TargetInfo target() {
        return target;
    }

    @Override
    public String engineName() {
        return WindowsEngine.NAME;
    }

    /** The handles open now, with type names and (unless disabled) object names. */
    @Override
    public synchronized HandleTable handles() {
        ensureOpen();
        if (!isAlive()) throw new JhtraceException(Failure.TARGET_NOT_FOUND, "process " + target.pid() + " has exited");
        List<RawHandle> raw = handleTable.read();
        ObjectTypeTable typeTable = types.get();
        Map<Long, NameLookup> lookedUp = lookUpNames(raw, typeTable);
        List<HandleEntry> entries = new ArrayList<>(raw.size());
        for (RawHandle h : raw) {
            String type = typeTable.name(h.typeIndex());
            Map<String, String> details = new LinkedHashMap<>();
            details.put("typeIndex", Integer.toString(h.typeIndex()));
            String name = null;
            NameLookup lookup = lookedUp.get(h.handle());
            if (namesUnavailable != null && options.queryObjectNames()) {
                details.put("name", "name unavailable (" + namesUnavailable + ")");
            } else if (lookup != null && lookup.name() != null) {
                name = lookup.name().isEmpty() ? null : lookup.name();
            } else if (lookup != null) {
                details.put("name", lookup.describeProblem());
            } else if (options.queryObjectNames() && NamePolicy.mayHang(type, h.grantedAccess())) {
                details.put("name", "name unavailable (skipped: query could hang on a synchronous pipe)");
            }
            entries.add(new HandleEntry(h.handle(), type, name, h.grantedAccess(), h.attributes(),
                    h.handleCount() < 0 ? null : h.handleCount(), h.pointerCount() < 0 ? null : h.pointerCount(), details));
        }
        return new HandleTable(target.pid(), clock.instant(), entries);
    }

    private Map<Long, NameLookup> lookUpNames(List<RawHandle> raw, ObjectTypeTable typeTable) {
        if (!options.queryObjectNames()) return Map.of();
        List<Long> wanted = new ArrayList<>();
        for (RawHandle h : raw) {
            if (options.queryPipeLikeNames() || !NamePolicy.mayHang(typeTable.name(h.typeIndex()), h.grantedAccess())) wanted.add(h.handle());
        }
        if (wanted.isEmpty() || namesUnavailable != null) return Map.of();
        try {
            if (names == null) names = nameClients.apply(target.pid());
            return names.names(wanted);
        } catch (JhtraceException e) {
            // names are a convenience: a helper that cannot start or cannot open the target (it needs
            // PROCESS_DUP_HANDLE) leaves them unavailable, never the listing, the leak report or the capture
            namesUnavailable = "name helper unavailable: " + e.getMessage();
            if (names != null) names.close();
            names = null;
            warnings.accept("object names of process " + target.pid() + " are unavailable (" + e.getMessage() + "); listing handles without them");
            return Map.of();
        }
    }

    @Override
    public Optional<HandleTracing> tracing() {
        return Optional.of(tracing);
    }

    /** True for a 32-bit process on 64-bit Windows, whose trace stacks hold no 32-bit frames (see {@link dev.jhtrace.dbgeng.nt.Wow64}). */
    public boolean isWow64() {
        return dev.jhtrace.dbgeng.nt.Wow64.isWow64(nat.kernel32(), process);
    }

    /** The tracing with its Windows-specific extras ({@link NtHandleTracing#gaps()}, {@link NtHandleTracing#enabledByUs()}). */
    public NtHandleTracing ntTracing() {
        return tracing;
    }

    @Override
    public synchronized SymbolResolver symbols() {
        if (symbols == null) symbols = symbolsForPid.apply(target.pid());
        return symbols;
    }

    /** For {@link WindowsEngine#launch}: the launch snapshot, the table of the still-suspended process. */
    synchronized void markLaunch(Snapshot launch) {
        launchSnapshot = launch;
    }

    @Override
    public synchronized Optional<Snapshot> launchSnapshot() {
        return Optional.ofNullable(launchSnapshot);
    }

    /** True while the process runs (its exit code is STILL_ACTIVE). */
    @Override
    public boolean isAlive() {
        if (closed) return false;
        IntByReference code = new IntByReference();
        return nat.kernel32().GetExitCodeProcess(process, code) && code.getValue() == NtConstants.STILL_ACTIVE;
    }

    /** The process handle, for the engine (e.g. to resume a launched process). */
    HANDLE processHandle() {
        return process;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // detaching the symbol engine is best effort; the target is unaffected either way
        }
    }

    private void ensureOpen() {
        if (closed) throw new JhtraceException(Failure.BAD_INPUT, "the source of process " + target.pid() + " is closed");
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        try {
            tracing.close();
            if (names != null) names.close();
            if (symbols instanceof AutoCloseable closeable) closeQuietly(closeable); // e.g. a dbgeng attachment used for symbols
        } finally {
            closed = true;
            nat.kernel32().CloseHandle(process);
        }
    }
}
