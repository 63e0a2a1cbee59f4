package dev.jhtrace.dump;

import dev.jhtrace.model.Diff;
import dev.jhtrace.model.HandleEntry;
import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.LoadedModule;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.SymbolResolver;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A minidump seen through the same interface as a live process: the handle table from stream 12,
 * the handle trace from stream 18 when present, and module+offset symbols from stream 4. The whole
 * file is decoded when opened and its channel closed at once, so {@link #close()} holds nothing
 * to release. Immutable; safe to share.
 */
public final class MinidumpHandleSource implements HandleSource {
    /** The type given to descriptors the writer recorded without a type name (Crashpad writes many). */
    public static final String NO_TYPE = "(no type)";
    /** ObjectInfo data longer than this is shortened in {@link HandleEntry#details()}. */
    static final int DETAIL_BYTES = 64;

    private final Minidump dump;
    private final TargetInfo target;
    private final HandleTable table;
    private final ModuleMap modules;
    private final DumpHandleTrace tracing;

    /** A source over a decoded dump, reading stream 18 in the given order. */
    public MinidumpHandleSource(Minidump dump, OperationOrder order) {
        this.dump = dump;
        ModuleInfo main = dump.mainModule();
        Integer pid = dump.miscInfo() == null ? null : dump.miscInfo().processId();
        this.target = new TargetInfo(pid == null ? 0 : pid, main == null ? null : main.fileName());
        this.table = dump.hasHandleData()
                ? new HandleTable(target.pid(), dump.header().time(), dump.handles().stream().map(MinidumpHandleSource::entryOf).toList())
                : null;
        this.modules = new ModuleMap(dump.modules());
        this.tracing = dump.hasHandleOperations() ? new DumpHandleTrace(dump.operations(), order) : null;
    }

    /** Opens a dump file, reading stream 18 newest first (see {@link OperationOrder}). */
    public static MinidumpHandleSource open(java.nio.file.Path file) {
        return new MinidumpHandleSource(Minidump.read(file), OperationOrder.NEWEST_FIRST);
    }

    /** The decoded dump: header, directory, system and misc info, modules, raw descriptors and operations. */
    public Minidump dump() {
        return dump;
    }

    @Override
    public TargetInfo target() {
        return target;
    }

    @Override
    public String engineName() {
        return MinidumpEngine.NAME;
    }

    /**
     * The handles open when the dump was written, one entry per descriptor (none dropped: descriptors
     * without a type get {@link #NO_TYPE}), ObjectInfo records summarized in {@code details}.
     *
     * @throws JhtraceException BAD_INPUT when the dump has no handle data
     */
    @Override
    public HandleTable handles() {
        if (table == null) {
            throw new JhtraceException(Failure.BAD_INPUT, dump.source() + ": the dump has no handle data (stream 12); "
                    + "write it with handle data (.dump /mh, or MiniDumpWithHandleData)");
        }
        return table;
    }

    /** The trace recorded in stream 18, or empty when the dump has none. */
    @Override
    public Optional<HandleTracing> tracing() {
        return Optional.ofNullable(tracing);
    }

    /** Address to module+offset, from the dump's module list. */
    @Override
    public SymbolResolver symbols() {
        return modules;
    }

    /** The module list as a resolver. */
    public ModuleMap modules() {
        return modules;
    }

    /** The dump's module list (WinDbg {@code lm}), by base address. */
    @Override
    public List<LoadedModule> loadedModules() {
        return dump.modules().stream()
                .map(m -> new LoadedModule(m.baseOfImage(), m.baseOfImage() + m.sizeOfImage(), m.name(), m.path()))
                .sorted(Comparator.comparingLong(LoadedModule::base)).toList();
    }

    /**
     * The {@code !htrace -diff}-style leak diff the dump's trace implies: every handle whose newest
     * operation is an OPEN (and which the handle table, when there is one, still lists), with its
     * stack resolved to module+offset. Feed it to {@code LeakAnalyzer.DEFAULT.analyze(diff, "minidump")}.
     *
     * @throws JhtraceException BAD_INPUT when the dump has no handle trace (stream 18)
     */
    public Diff leakDiff() {
        return DumpLeakDiff.of(this);
    }

    /** Always true: a dump never exits. */
    @Override
    public boolean isAlive() {
        return true;
    }

    /** Never: it is a record of a process, not the process. */
    @Override
    public boolean isLive() {
        return false;
    }

    /** Nothing to release: the file was closed once it was decoded. Idempotent. */
    @Override
    public void close() {
        // the channel was closed by Minidump.read
    }

    /** A handle table entry for one descriptor. */
    static HandleEntry entryOf(HandleDescriptor d) {
        Map<String, String> details = new LinkedHashMap<>();
        for (ObjectInfo info : d.objectInfo()) {
            String key = info.typeName();
            for (int n = 2; details.containsKey(key); n++) key = info.typeName() + "#" + n;
            details.put(key, summary(info));
        }
        return new HandleEntry(d.handle(), d.typeName() == null ? NO_TYPE : d.typeName(), d.objectName(),
                d.grantedAccess(), d.attributes(), d.handleCount(), d.pointerCount(), details);
    }

    private static String summary(ObjectInfo info) {
        String hex = info.hex();
        int bytes = hex.length() / 2;
        return bytes <= DETAIL_BYTES ? hex : hex.substring(0, 2 * DETAIL_BYTES) + "... (" + bytes + " bytes)";
    }
}
