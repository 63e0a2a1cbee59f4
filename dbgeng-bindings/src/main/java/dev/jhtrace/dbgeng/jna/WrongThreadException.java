package dev.jhtrace.dbgeng.jna;

/**
 * A dbgeng interface was used from a thread other than the one that created it. dbgeng's rule: client
 * methods run on the creating thread, except the few documented as reentrant (SetInterrupt,
 * ExitDispatch, CreateClient, EndSession(DEBUG_END_REENTRANT)).
 */
public class WrongThreadException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public WrongThreadException(String method, Thread owner, Thread caller) {
        super(method + " called on thread '" + caller.getName() + "' but the interface belongs to thread '"
                + owner.getName() + "'; submit the work to the engine thread");
    }
}
