package dev.jhtrace.dbgeng.api;

import dev.jhtrace.dbgeng.engine.DbgEngLibrary;
import dev.jhtrace.dbgeng.engine.DbgEngLoader;
import dev.jhtrace.dbgeng.engine.DbgEngLocation;
import dev.jhtrace.dbgeng.engine.DebugInterfaces;
import dev.jhtrace.dbgeng.engine.EngineBackend;
import dev.jhtrace.dbgeng.engine.EngineThread;
import dev.jhtrace.dbgeng.engine.NativeEngineBackend;
import dev.jhtrace.dbgeng.jna.DbgEngConstants;
import dev.jhtrace.dbgeng.jna.DbgEngException;
import dev.jhtrace.dbgeng.jna.DebugHandleDataBasic;
import dev.jhtrace.dbgeng.jna.HResult;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.dbgeng.jna.callbacks.CallbackRegistry;
import dev.jhtrace.dbgeng.jna.callbacks.DebugEventListener;
import dev.jhtrace.dbgeng.jna.callbacks.EventCallbacksWide;
import dev.jhtrace.dbgeng.jna.callbacks.OutputCallbacksWide;
import dev.jhtrace.dbgeng.jna.callbacks.OutputLineBuffer;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A dbgeng client (what DebugCreate returns: IDebugClient and the control, symbols, data-space and
 * system-object interfaces queried from it, with its output and event callbacks), held by the one
 * engine thread that created it. Every method may be called from any thread; the work runs on the
 * engine thread (dbgeng's rule) and the caller waits for it, except {@link #interrupt()}, which goes
 * straight to dbgeng's thread-safe SetInterrupt. Clients can be started and closed repeatedly in one
 * JVM. Closing ends dbgeng's session with a detach; a target is never terminated.
 *
 * <pre>{@code
 * try (DbgEngClient dbgeng = DbgEngClient.start()) {
 *     dbgeng.attach(pid);
 *     System.out.println(dbgeng.execute("!htrace -snapshot"));
 * }
 * }</pre>
 */
public final class DbgEngClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DbgEngClient.class.getName());

    private final EngineThread engine;
    private final DbgEngClientOptions options;
    private final DbgEngLibrary library;
    private final DbgEngLocation location;
    private final List<String> warnings = new ArrayList<>();
    // Engine-thread state (written and read only there):
    private volatile DebugInterfaces com;
    private final CallbackRegistry callbacks = new CallbackRegistry();
    private OutputLineBuffer lineBuffer;
    private List<String> capture;
    private volatile boolean targetExited;
    private final Object releaseLock = new Object();
    private volatile boolean closed;

    private DbgEngClient(EngineThread engine, DbgEngClientOptions options, DbgEngLibrary library, DbgEngLocation location) {
        this.engine = engine;
        this.options = options;
        this.library = library;
        this.location = location;
    }

    /** Starts a client with the default options. Off Windows: ENGINE_UNAVAILABLE "dbgeng is only available on Windows". */
    public static DbgEngClient start() {
        return start(DbgEngClientOptions.defaults());
    }

    /** Loads dbgeng (see {@link dev.jhtrace.dbgeng.engine.DbgEngLocator}) and starts a client. */
    public static DbgEngClient start(DbgEngClientOptions options) {
        DbgEngLoader.requireWindows64();
        DbgEngLibrary library = DbgEngLoader.load(options.locatorEnvironment());
        return start(new NativeEngineBackend(library), options, library, library.location());
    }

    /** Starts a client over any backend (tests use mocked COM interfaces). */
    public static DbgEngClient start(EngineBackend backend, DbgEngClientOptions options) {
        return start(backend, options, null, null);
    }

    /** As {@link #start(EngineBackend, DbgEngClientOptions)}, with the engine folder's facts (symsrv.dll presence). */
    static DbgEngClient start(EngineBackend backend, DbgEngClientOptions options, DbgEngLibrary library, DbgEngLocation location) {
        EngineThread engine = EngineThread.start("dbgeng-engine", options.idleMillis());
        DbgEngClient client = new DbgEngClient(engine, options, library, location);
        if (library != null) client.warnings.addAll(library.warnings());
        try {
            engine.call(() -> {
                client.open(backend);
                return null;
            }, options.callTimeoutMillis());
        } catch (RuntimeException | Error e) {
            engine.shutdown(client::teardown);
            throw e;
        }
        for (String w : client.warnings) LOG.log(System.Logger.Level.WARNING, w);
        return client;
    }

    /** Engine thread: obtain the interfaces, install callbacks, start pumping. */
    private void open(EngineBackend backend) {
        com = backend.open();
        lineBuffer = new OutputLineBuffer(this::line);
        callbacks.installOutput(com.client(), new OutputCallbacksWide(lineBuffer));
        callbacks.installEvents(com.client(), new EventCallbacksWide(new ProcessExitListener()));
        engine.setPump(new EngineThread.Pump() {
            @Override
            public void idle(int timeoutMillis) {
                com.client().dispatchCallbacks(timeoutMillis);
            }

            @Override
            public void wake() {
                com.reentrantClient().exitDispatch(com.client());
            }
        });
        if (options.symbolPath() != null) setSymbolPathOnEngine(options.symbolPath());
    }

    private void line(int mask, String text) {
        if (capture != null) capture.add(text);
        OutputLineBuffer.LineListener l = options.outputListener();
        if (l != null) l.line(mask, text);
    }

    /** Notices the target process exiting, so {@link #isTargetAlive()} can say so. */
    private final class ProcessExitListener implements DebugEventListener {
        @Override
        public int interestMask() {
            return DbgEngConstants.DEBUG_EVENT_EXIT_PROCESS | DbgEngConstants.DEBUG_EVENT_SESSION_STATUS;
        }

        @Override
        public int exitProcess(int exitCode) {
            targetExited = true;
            return DbgEngConstants.DEBUG_STATUS_NO_CHANGE;
        }
    }

    /** Attaches non-invasively without suspending the target (the production mode). */
    public void attach(int pid) {
        attach(pid, AttachMode.NONINVASIVE_NO_SUSPEND);
    }

    /** Attaches to a live process and waits until dbgeng has finished attaching. */
    public void attach(int pid, AttachMode mode) {
        if (pid <= 0) throw new JhtraceException(Failure.BAD_INPUT, "not a process id: " + pid);
        onEngine(c -> {
            try {
                c.client().attachProcess(0, pid, mode.flags());
                // a non-invasive attach is only tried when the wait runs: its failures come from WaitForEvent
                finishWait("attach to process " + pid, c);
            } catch (DbgEngException e) {
                throw attachFailure(pid, e);
            }
            targetExited = false;
            return null;
        });
    }

    private static JhtraceException attachFailure(int pid, DbgEngException e) {
        if (e.hresult() == HResult.E_INVALIDARG) {
            return new JhtraceException(Failure.TARGET_NOT_FOUND, "no process " + pid + " to attach to (" + e.getMessage() + ")", e);
        }
        if (e.isAccessDenied()) {
            return new JhtraceException(Failure.PERMISSION_DENIED, "access denied attaching to process " + pid
                    + "; run elevated (SeDebugPrivilege) or as the target's user (" + e.getMessage() + ")", e);
        }
        return e;
    }

    /** Opens a dump file and waits until dbgeng has loaded it. */
    public void openDump(Path dump) {
        if (dump == null || !Files.isRegularFile(dump)) {
            throw new JhtraceException(Failure.TARGET_NOT_FOUND, "no dump file at " + dump);
        }
        String path = dump.toAbsolutePath().toString();
        onEngine(c -> {
            c.client().openDumpFileWide(path, 0);
            finishWait("open " + path, c);
            return null;
        });
    }

    /** WaitForEvent completes an attach or a dump open; a timeout is an error, not a silent half-state. */
    private void finishWait(String what, DebugInterfaces c) {
        if (!c.control().waitForEvent(DbgEngConstants.DEBUG_WAIT_DEFAULT, options.waitTimeoutMillis())) {
            throw new JhtraceException(Failure.OTHER, "dbgeng did not finish to " + what + " within " + options.waitTimeoutMillis() + " ms");
        }
    }

    /** Runs a debugger command and returns its output lines joined with {@code \n}. */
    public String execute(String command) {
        return String.join("\n", executeLines(command));
    }

    /** Runs a debugger command and returns its output, one entry per line. */
    public List<String> executeLines(String command) {
        if (command == null || command.isBlank()) throw new JhtraceException(Failure.BAD_INPUT, "empty debugger command");
        return onEngine(c -> {
            List<String> lines = new ArrayList<>();
            capture = lines;
            try {
                c.control().executeWide(DbgEngConstants.DEBUG_OUTCTL_THIS_CLIENT, command,
                        DbgEngConstants.DEBUG_EXECUTE_DEFAULT | DbgEngConstants.DEBUG_EXECUTE_NO_REPEAT);
                c.client().flushCallbacks();
                lineBuffer.flush();
            } finally {
                capture = null;
            }
            return List.copyOf(lines);
        });
    }

    /**
     * Runs {@code work} on the engine thread with process {@code pid} made current first: dbgeng has one
     * engine per process, so a client serving several targets switches to the right one before every call.
     */
    public <T> T onProcess(int pid, Function<DebugInterfaces, T> work) {
        return onEngine(c -> {
            select(c, pid);
            return work.apply(c);
        });
    }

    /** Detaches from {@code pid} only, leaving it running; the client's other targets stay attached. */
    public void detach(int pid) {
        onEngine(c -> {
            select(c, pid);
            c.client().detachCurrentProcess();
            return null;
        });
    }

    private static void select(DebugInterfaces c, int pid) {
        c.systemObjects().setCurrentProcessId(c.systemObjects().getProcessIdBySystemId(pid));
    }

    /** Detaches from every target, leaving them running. */
    public void detach() {
        onEngine(c -> {
            c.client().detachProcesses();
            return null;
        });
    }

    /**
     * One handle of the target as ReadHandleData describes it (live target or dump with handle data): basic
     * counts and access, and the type name (null when dbgeng cannot read it). The object name is never asked
     * here: on a live target dbgeng reads it with NtQueryObject inside this JVM, which can hang for ever on a
     * synchronous pipe and cannot be interrupted; names come from the killable helper process
     * ({@link dev.jhtrace.dbgeng.nt.ObjectNameClient}) through the engine's handle listing.
     */
    public HandleEntry readHandle(long handle) {
        return onEngine(c -> {
            DebugHandleDataBasic basic = c.dataSpaces().readHandleDataBasic(handle);
            String type = optionalString(c, handle, DbgEngConstants.DEBUG_HANDLE_DATA_TYPE_TYPE_NAME_WIDE);
            return new HandleEntry(handle, type, null, Integer.toUnsignedLong(basic.GrantedAccess),
                    Integer.toUnsignedLong(basic.Attributes), Integer.toUnsignedLong(basic.HandleCount),
                    Integer.toUnsignedLong(basic.PointerCount), Map.of());
        });
    }

    private static String optionalString(DebugInterfaces c, long handle, int type) {
        try {
            String s = c.dataSpaces().readHandleDataString(handle, type);
            return s == null || s.isEmpty() ? null : s;
        } catch (DbgEngException e) {
            return null; // e.g. a dump without that stream
        }
    }

    /** The target's process id. */
    public int processId() {
        return onEngine(c -> c.systemObjects().getCurrentProcessSystemId());
    }

    /** False once the target process has exited (as reported by dbgeng). */
    public boolean isTargetAlive() {
        return !targetExited && !closed;
    }

    /** The current symbol path. */
    public String symbolPath() {
        return onEngine(c -> c.symbols().getSymbolPathWide());
    }

    /**
     * Sets the symbol path, e.g. {@code srv*C:\symbols*<symbol server URL>}. Warns (see {@link #warnings()})
     * when a {@code srv*} path is set but the loaded engine has no symsrv.dll to serve it.
     */
    public void setSymbolPath(String path) {
        if (path == null || path.isBlank()) throw new JhtraceException(Failure.BAD_INPUT, "empty symbol path");
        onEngine(c -> {
            setSymbolPathOnEngine(path);
            return null;
        });
    }

    private void setSymbolPathOnEngine(String path) {
        com.symbols().setSymbolPathWide(path);
        if (path.toLowerCase(java.util.Locale.ROOT).contains("srv*") && location != null && !location.hasSymsrv()) {
            String w = "symbol path uses srv* but " + location.folder() + " has no symsrv.dll: nothing will be downloaded";
            synchronized (warnings) {
                warnings.add(w);
            }
            LOG.log(System.Logger.Level.WARNING, w);
        }
    }

    /** Reloads symbols ({@code .reload}); {@code module} may be empty for all modules. */
    public void reloadSymbols(String module) {
        onEngine(c -> {
            c.symbols().reloadWide(module == null ? "" : module);
            return null;
        });
    }

    /** A {@link dev.jhtrace.spi.SymbolResolver} backed by this client. */
    public DbgEngSymbols symbols() {
        return new DbgEngSymbols(this);
    }

    /** Breaks into whatever dbgeng is doing (a long command, a wait). Any thread; does not queue. */
    public void interrupt() {
        synchronized (releaseLock) { // teardown releases under the same lock: never SetInterrupt on a released client
            DebugInterfaces c = com;
            if (c == null || closed) return;
            c.reentrantControl().setInterrupt(DbgEngConstants.DEBUG_INTERRUPT_ACTIVE);
        }
    }

    /**
     * Runs {@code work} on the engine thread with the raw interfaces, for callers that need a COM method this
     * class does not wrap (e.g. ReadHandleData). Do not keep the interfaces beyond the call.
     */
    public <T> T onEngine(Function<DebugInterfaces, T> work) {
        if (closed) throw new JhtraceException(Failure.OTHER, "the dbgeng client has been closed");
        return engine.call(() -> {
            DebugInterfaces c = com;
            // work queued while close() ran finds the interfaces released: refuse it rather than call them
            if (c == null) throw new JhtraceException(Failure.OTHER, "the dbgeng client has been closed");
            return work.apply(c);
        }, options.callTimeoutMillis());
    }

    /** Interface versions obtained, e.g. {@code [IDebugClient5, IDebugControl4, ...]}. */
    public List<String> interfaceVersions() {
        return onEngine(DebugInterfaces::versions);
    }

    /** The loaded library, or null for a client over a test backend. */
    public DbgEngLibrary library() {
        return library;
    }

    /** Loader and client warnings so far, one line each. */
    public List<String> warnings() {
        synchronized (warnings) {
            return List.copyOf(warnings);
        }
    }

    /** The engine thread (diagnostics, tests). */
    public Thread engineThread() {
        return engine.thread();
    }

    /**
     * Ends the client: EndSession(ACTIVE_DETACH) (detach, never terminate), unregister and flush callbacks,
     * release every interface on the engine thread, then end the thread. Idempotent.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            engine.shutdown(this::teardown).get(options.callTimeoutMillis(), TimeUnit.MILLISECONDS);
            engine.thread().join(options.callTimeoutMillis());
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "dbgeng engine thread did not end cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Engine thread: the shutdown sequence, each step attempted even if an earlier one failed. */
    private void teardown() {
        DebugInterfaces c = com;
        if (c == null) return;
        try {
            c.client().endSession(DbgEngConstants.DEBUG_END_ACTIVE_DETACH);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "EndSession failed", e);
        }
        try {
            callbacks.uninstallAll(c.client());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "unregistering callbacks failed; keeping them alive", e);
        }
        synchronized (releaseLock) {
            com = null;
            for (Throwable t : c.releaseAll()) LOG.log(System.Logger.Level.WARNING, "Release failed", t);
        }
    }

    /** Callbacks still held (tests: zero after close). */
    int callbacksHeld() {
        return engine.isEngineThread() || closed ? callbacks.size() : engine.call(callbacks::size, options.callTimeoutMillis());
    }
}
