package dev.jhtrace.capture;

import dev.jhtrace.spi.Failure;
import dev.jhtrace.spi.JhtraceException;
import dev.jhtrace.spi.TraceOptions;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to capture.
 *
 * @param dir                  where the files go
 * @param interval             time between records
 * @param duration             how long to capture, or null to run until stopped (or, for a pid, until it exits)
 * @param handlesAbove         write a report when the handle count rises above this, or null
 * @param growthPerHourAbove   write a report when handles grow steadily faster than this many per hour, or null
 * @param maxDiskBytes         the most the directory may hold; older files are deleted first
 * @param maxGroups            most stacks per record
 * @param maxEntries           most handle entries per record
 * @param trace                true to attach and trace stacks; false for counts only, without attaching
 * @param traceOptions         how to trace
 */
public record CaptureSettings(Path dir, Duration interval, Duration duration, Integer handlesAbove, Double growthPerHourAbove,
                              long maxDiskBytes, int maxGroups, int maxEntries, boolean trace, TraceOptions traceOptions) {
    public CaptureSettings {
        if (dir == null) throw new JhtraceException(Failure.BAD_INPUT, "no capture directory: give --out DIR");
        if (interval == null || interval.toMillis() < 100) throw new JhtraceException(Failure.BAD_INPUT, "the interval must be at least 100ms");
        if (duration != null && (duration.isZero() || duration.isNegative())) throw new JhtraceException(Failure.BAD_INPUT, "--for must be positive");
        if (handlesAbove != null && handlesAbove < 0) throw new JhtraceException(Failure.BAD_INPUT, "--when-handles-exceed must not be negative");
        if (growthPerHourAbove != null && !(growthPerHourAbove >= 0)) throw new JhtraceException(Failure.BAD_INPUT, "--when-growth-exceeds must not be negative");
        if (maxDiskBytes < DiskBudget.MIN_BYTES) throw new JhtraceException(Failure.BAD_INPUT, "--max-disk must be at least " + DiskBudget.MIN_BYTES / 1024 + "KB");
        if (maxGroups < 1) throw new JhtraceException(Failure.BAD_INPUT, "--max-stacks must be at least 1");
        if (maxEntries < 0) throw new JhtraceException(Failure.BAD_INPUT, "--max-entries must not be negative");
        if (traceOptions == null) traceOptions = TraceOptions.DEFAULT;
    }
}
