package dev.jhtrace.gdb;

import dev.jhtrace.spi.TraceOptions;

/**
 * A separate JVM for {@link GdbEngineRobustnessTest}: attaches to a pid, enables tracing, prints
 * "attached" and waits to be killed.
 */
public final class AttachHolder {
    private AttachHolder() {
    }

    public static void main(String[] args) throws InterruptedException {
        GdbHandleSource source = new GdbEngine().attach(Integer.parseInt(args[0]), TraceOptions.DEFAULT);
        source.tracing().orElseThrow().enable(TraceOptions.DEFAULT);
        System.out.println("attached");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
