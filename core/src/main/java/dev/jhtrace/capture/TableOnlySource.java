package dev.jhtrace.capture;

import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.TargetInfo;
import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.HandleSource;
import dev.jhtrace.spi.HandleTracing;
import dev.jhtrace.spi.SymbolResolver;

import java.util.Optional;

/**
 * A live process seen only through {@link Engine#handles(int)}: no debugger attached, no tracing, so
 * no stacks, only the handle table. For counts-only captures ({@code --no-trace}), the least intrusive kind.
 */
public final class TableOnlySource implements HandleSource {
    private final Engine engine;
    private final TargetInfo target;

    public TableOnlySource(Engine engine, TargetInfo target) {
        this.engine = engine;
        this.target = target;
    }

    @Override
    public TargetInfo target() {
        return target;
    }

    @Override
    public String engineName() {
        return engine.name();
    }

    @Override
    public HandleTable handles() {
        return engine.handles(target.pid());
    }

    @Override
    public Optional<HandleTracing> tracing() {
        return Optional.empty();
    }

    @Override
    public SymbolResolver symbols() {
        return SymbolResolver.NONE;
    }

    @Override
    public boolean isAlive() {
        return ProcessHandle.of(target.pid()).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public void close() {
        // nothing attached, nothing to release
    }
}
