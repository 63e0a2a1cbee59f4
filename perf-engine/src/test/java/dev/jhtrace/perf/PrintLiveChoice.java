package dev.jhtrace.perf;

import dev.jhtrace.spi.Engines;

/** Prints the engine live processes get here and why, tab-separated (PerfTargetsTest runs it without privileges). */
public final class PrintLiveChoice {
    private PrintLiveChoice() {
    }

    public static void main(String[] args) {
        Engines.LiveChoice choice = Engines.liveChoice();
        System.out.println(choice.engine().name() + "\t" + choice.reason());
    }
}
