package dev.jhtrace.capture;

/**
 * An optional capability of a {@link dev.jhtrace.spi.HandleTracing}: forgetting events already
 * recorded, so that a capture running for days holds only the events since its last record, whatever
 * the target's handle rate. Engines that keep their trace in jhtrace's memory (gdb) should offer it;
 * ring-buffer engines (dbgeng) need not, their memory is bounded by the ring.
 */
public interface TraceTrimming {
    /**
     * Forgets every event whose order is at most {@code order}; later {@code log()} calls start after it.
     *
     * @return how many events were forgotten
     */
    long discardThrough(long order);
}
