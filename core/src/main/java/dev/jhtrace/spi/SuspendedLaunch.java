package dev.jhtrace.spi;

import dev.jhtrace.model.HandleTable;
import dev.jhtrace.model.Snapshot;

/**
 * The launch protocol, written once: start the command suspended, read the handles it inherited, mark the
 * trace there, enable tracing, resume it; and on every failure after the start, close what was attached and
 * resume it anyway, so a launched program never stays suspended because jhtrace failed. Engines fill in the
 * steps; {@link #run()} keeps the order and the rescue.
 *
 * @param <P> what the engine holds of the suspended process (its pid, its process and thread handles ...)
 * @param <S> the engine's source for it
 */
public abstract class SuspendedLaunch<P, S extends HandleSource> {

    /** Starts the command, suspended before its first instruction. Throws when it cannot: nothing runs then. */
    protected abstract P startSuspended();

    /** The engine's source for the suspended process, tracing still off. */
    protected abstract S attach(P process);

    /** The handles the process inherited, read while it cannot open any. */
    protected HandleTable inheritedTable(P process, S source) {
        return source.handles();
    }

    /** Gives the source the launch snapshot ({@link HandleSource#launchSnapshot()}): a diff from it misses nothing. */
    protected abstract void mark(S source, Snapshot launch);

    /** Turns tracing on, the process still suspended. */
    protected abstract void enable(S source);

    /** Lets the process run, traced. */
    protected abstract void resume(P process, S source);

    /** Lets the process run after a failed launch (the source, if any, already closed). Must not throw. */
    protected abstract void resumeAbandoned(P process);

    /** Lets go of what only the launch needed (a thread handle), after success or failure. */
    protected void release(P process) {
    }

    /** Runs the protocol: the traced source of a running process, or the failure with the process resumed. */
    public final S run() {
        P process = startSuspended();
        S source = null;
        try {
            source = attach(process);
            mark(source, Snapshot.atLaunch(inheritedTable(process, source)));
            enable(source);
            resume(process, source);
            return source;
        } catch (RuntimeException | Error e) {
            try {
                if (source != null) source.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            } finally {
                resumeAbandoned(process); // never leave it suspended
            }
            throw e;
        } finally {
            release(process);
        }
    }
}
