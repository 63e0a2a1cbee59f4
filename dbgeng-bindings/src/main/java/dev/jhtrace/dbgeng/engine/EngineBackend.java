package dev.jhtrace.dbgeng.engine;

/**
 * Opens the dbgeng interfaces for a {@code DbgEngClient}. Called on the engine thread, which then owns them. The
 * native backend is {@link NativeEngineBackend}; tests supply mocks of the COM interfaces.
 */
@FunctionalInterface
public interface EngineBackend {
    DebugInterfaces open();
}
