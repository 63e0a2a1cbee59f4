package dev.jhtrace.shell.api;

/**
 * A JVM shutdown hook that cancels what runs and detaches every target (SIGTERM, or Ctrl-C where no handler is
 * installed), until it is closed: a target must never stay traced or stopped because jhtrace was ended.
 */
final class ShutdownDetach {
    private ShutdownDetach() {
    }

    /** Runs {@code cancelAndDetach} at shutdown until the result is closed. */
    static Status.Shown install(Runnable cancelAndDetach) {
        Thread hook = new Thread(cancelAndDetach, "jhtrace-detach");
        Runtime.getRuntime().addShutdownHook(hook);
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: it detaches
            }
        };
    }
}
