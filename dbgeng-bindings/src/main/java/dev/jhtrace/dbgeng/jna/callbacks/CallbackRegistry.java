package dev.jhtrace.dbgeng.jna.callbacks;

import dev.jhtrace.dbgeng.jna.client.DebugClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps Java-built callback objects strongly reachable while dbgeng may call them. A {@code DbgEngClient} owns one.
 * Objects are dropped only in {@link #uninstallAll}, after Set*Callbacks(null) and FlushCallbacks have run,
 * so no output still queued inside dbgeng can reach freed memory. A replaced callback stays kept too,
 * since dbgeng may have queued calls to it. Engine-thread only, like the client it talks to.
 */
public final class CallbackRegistry {
    private OutputCallbacksWide output;
    private EventCallbacksWide events;
    private final List<JavaComObject> retired = new ArrayList<>();

    /** Registers output callbacks with the client and keeps them. */
    public void installOutput(DebugClient client, OutputCallbacksWide callbacks) {
        client.setOutputCallbacksWide(callbacks.pointer());
        if (output != null) retired.add(output);
        output = callbacks;
    }

    /** Registers event callbacks with the client and keeps them. */
    public void installEvents(DebugClient client, EventCallbacksWide callbacks) {
        client.setEventCallbacksWide(callbacks.pointer());
        if (events != null) retired.add(events);
        events = callbacks;
    }

    /**
     * Unregisters both callbacks, flushes, and only then lets the Java objects go. Failures unregistering
     * still drop nothing: the objects stay kept (leaking a few bytes beats a call into freed memory).
     */
    public void uninstallAll(DebugClient client) {
        if (output != null) client.setOutputCallbacksWide(null);
        if (events != null) client.setEventCallbacksWide(null);
        client.flushCallbacks();
        output = null;
        events = null;
        retired.clear();
    }

    /** Whether this registry still holds {@code callbacks} (installed or retired). */
    public boolean keeps(JavaComObject callbacks) {
        return callbacks == output || callbacks == events || retired.contains(callbacks);
    }

    /** How many objects are held. */
    public int size() {
        return (output == null ? 0 : 1) + (events == null ? 0 : 1) + retired.size();
    }
}
