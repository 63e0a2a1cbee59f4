package dev.jhtrace.dump;

import dev.jhtrace.spi.Engine;
import dev.jhtrace.spi.HandleSource;

import java.nio.file.Path;

/**
 * Opens Windows minidumps ({@code .dmp}) on any OS, in pure Java. Registered as the engine named
 * {@value #NAME}; it opens dumps only (attach and launch say it cannot).
 */
public final class MinidumpEngine implements Engine {
    public static final String NAME = "minidump";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Availability availability() {
        return new Availability(true, "built-in minidump reader (handle data, handle operations, modules, system info)");
    }

    /**
     * Opens a dump; the returned source is a {@link MinidumpHandleSource}.
     *
     * @throws dev.jhtrace.spi.JhtraceException TARGET_NOT_FOUND, PERMISSION_DENIED or BAD_INPUT, with a one-line reason
     */
    @Override
    public HandleSource open(Path dump) {
        return MinidumpHandleSource.open(dump);
    }
}
