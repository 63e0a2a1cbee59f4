package dev.jhtrace.perf;

import java.util.List;

/**
 * A JVM that starts a launch gate for the command in its arguments, waits until the shell is at the gate, prints
 * "gate SHELL_PID", and waits to be killed (LaunchGateTest: jhtrace dying before perf is on).
 */
public final class GateAndHold {
    private GateAndHold() {
    }

    public static void main(String[] args) throws Exception {
        LaunchGate gate = LaunchGate.start(new ProcessBuilder(List.of(args)), false);
        if (!gate.awaitReady(10_000_000_000L)) throw new IllegalStateException("the shell did not reach the gate");
        System.out.println("gate " + gate.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
