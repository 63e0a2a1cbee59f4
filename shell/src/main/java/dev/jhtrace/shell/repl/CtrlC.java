package dev.jhtrace.shell.repl;

import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingReader;

import java.io.IOException;

/**
 * Ctrl-C read as a key instead of delivered as SIGINT. With the terminal's ISIG flag off, the Ctrl-C
 * key no longer signals the whole foreground process group, so a debugger that jhtrace runs as a
 * child (gdb) does not get it and interrupt the target; jhtrace sees the key and cancels its own
 * command instead. {@link #watch} reads keys while a command runs.
 */
public final class CtrlC {
    private static final int CTRL_C = 3;

    private CtrlC() {
    }

    /** Turns the terminal's signal keys off; returns the attributes to restore. */
    public static Attributes disableSignals(Terminal terminal) {
        Attributes original = terminal.getAttributes();
        Attributes quiet = new Attributes(original);
        quiet.setLocalFlag(Attributes.LocalFlag.ISIG, false);
        terminal.setAttributes(quiet);
        return original;
    }

    /**
     * Puts the terminal in raw mode without signals and reads keys until closed, calling {@code onCtrlC}
     * for each Ctrl-C; other keys typed meanwhile are kept for {@link Watch#typedAhead()}. Closing restores the terminal.
     */
    public static Watch watch(Terminal terminal, Runnable onCtrlC) {
        Attributes before = terminal.enterRawMode();
        Attributes raw = terminal.getAttributes();
        raw.setLocalFlag(Attributes.LocalFlag.ISIG, false);
        terminal.setAttributes(raw);
        Watch w = new Watch(terminal, before, onCtrlC);
        Thread t = new Thread(w, "jhtrace-ctrl-c");
        t.setDaemon(true);
        w.thread = t;
        t.start();
        return w;
    }

    /** A running key watch; {@link #close()} stops it and waits until it no longer reads. */
    public static final class Watch implements Runnable, AutoCloseable {
        private final Terminal terminal;
        private final NonBlockingReader reader;
        private final Attributes restore;
        private final Runnable onCtrlC;
        private volatile boolean stop;
        private Thread thread;
        private final StringBuilder typed = new StringBuilder();

        private Watch(Terminal terminal, Attributes restore, Runnable onCtrlC) {
            this.terminal = terminal;
            this.reader = terminal.reader();
            this.restore = restore;
            this.onCtrlC = onCtrlC;
        }

        @Override
        public void run() {
            try {
                while (!stop) {
                    int c = reader.read(50);
                    if (c == CTRL_C) onCtrlC.run();
                    else if (c == NonBlockingReader.EOF) return;
                    else if (c >= 0) {
                        synchronized (typed) {
                            typed.append((char) c);
                        }
                    }
                }
            } catch (IOException e) {
                // the terminal is gone: nothing left to watch
            }
        }

        /** The keys typed while the command ran (not Ctrl-C), to hand to the next line read. */
        public String typedAhead() {
            synchronized (typed) {
                return typed.toString();
            }
        }

        @Override
        public void close() {
            stop = true;
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                terminal.setAttributes(restore);
            }
        }
    }
}
