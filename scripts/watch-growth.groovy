/*
 * watch-growth.groovy: samples a process's handle counts by type every N seconds and flags the types
 * that grow steadily (never shrink between samples, and end higher than they started). No tracing:
 * cheap enough to leave running against production before deciding to trace.
 *
 *   jhtrace script scripts/watch-growth.groovy PID|NAME [INTERVAL_SECONDS=5] [SAMPLES=12]
 *
 * Prints one line per sample, then each growing type with its growth per second.
 * Exit code 3 when some type grows steadily, 0 when none does.
 */
if (args.length < 1 || args.length > 3) usage('watch-growth.groovy PID|NAME [INTERVAL_SECONDS=5] [SAMPLES=12]')
double interval = args.length > 1 ? args[1] as double : 5
int samples = args.length > 2 ? args[2] as int : 12
if (samples < 2) usage('watch-growth.groovy: SAMPLES must be at least 2')

def p = attach(args[0])
def series = [:].withDefault { [] }   // type -> counts, one per sample
try {
    samples.times { i ->
        if (i > 0) sleep((long) (interval * 1000))
        def counts = p.handles().countsByType()
        (series.keySet() + counts.keySet()).each { type -> series[type] << (counts[type] ?: 0) }
        println String.format('%3d  %5d handles  %s', i + 1, counts.values().sum() ?: 0, counts)
    }
} finally {
    p.detach()
}

def growing = series.findAll { type, counts ->
    counts.size() == samples && (1..<counts.size()).every { counts[it] >= counts[it - 1] } && counts[-1] > counts[0]
}
if (growing.isEmpty()) {
    println 'no type grew steadily'
    exit(0)
}
double seconds = interval * (samples - 1)
growing.sort { -(it.value[-1] - it.value[0]) }.each { type, counts ->
    int delta = counts[-1] - counts[0]
    println String.format('GROWING  %-16s %d -> %d  (+%d in %.0fs, %.2f/s)', type, counts[0], counts[-1], delta, seconds, delta / seconds)
}
exit(3)
