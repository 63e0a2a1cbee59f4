/**
 * The engine-neutral trace recorder: engines deliver raw events ({@link dev.jhtrace.recorder.RawEvent}), an
 * {@link dev.jhtrace.recorder.EventRecorder} keeps them (interned stacks, orders, counts, losses, bounded
 * memory) and answers {@link dev.jhtrace.spi.HandleTracing#log()} for them.
 */
package dev.jhtrace.recorder;
