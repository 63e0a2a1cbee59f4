package dev.jhtrace.spi;

/**
 * An optional capability of a {@link HandleTracing}: forgetting events already recorded, so that a capture
 * running for days holds only the events since its last record, whatever the target's handle rate. Every
 * engine that keeps its trace in a {@link dev.jhtrace.recorder.EventRecorder} offers it.
 */
public interface TraceTrimming {
    /**
     * Forgets every event whose order is at most {@code order}; later {@code log()} calls start after it.
     *
     * @return how many events were forgotten
     */
    long discardThrough(long order);
}
