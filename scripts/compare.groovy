/*
 * compare.groovy: what grew between two saved sessions (files written by the shell's `save FILE`
 * or by save(target, FILE) in a script). Also takes minidumps and WinDbg logs: anything `open` reads.
 *
 *   jhtrace script scripts/compare.groovy BEFORE AFTER [TOP=5]
 *
 * Prints the handle counts per type of both (each at its last snapshot) with the change, then, when
 * AFTER holds a trace, the TOP heaviest leak groups since its first snapshot.
 * Exit code 3 when some type grew, 0 otherwise.
 */
if (args.length < 2 || args.length > 3) usage('compare.groovy BEFORE AFTER [TOP=5]')
int top = args.length > 2 ? args[2] as int : 5

def before = open(args[0])
def after = open(args[1])
def was = before.listing().types()
def now = after.listing().types()

println String.format('%-20s %8s %8s %8s', 'type', 'before', 'after', 'change')
def rows = (was.keySet() + now.keySet()).collect { t -> [t, was[t] ?: 0, now[t] ?: 0] }
rows.sort { a, b -> (b[2] - b[1]) <=> (a[2] - a[1]) ?: a[0] <=> b[0] }.each { t, b, a ->
    println String.format('%-20s %8d %8d %+8d', t, b, a, a - b)
}
def grew = rows.findAll { it[2] > it[1] }
println ''
println grew ? "grew: ${grew.collect { "${it[0]} +${it[2] - it[1]}" }.join(', ')}" : 'nothing grew'

def snapshots = after.htrace.snapshots
if (snapshots && after.htrace.log().size() > 0) {
    def leaks = after.htrace.diff(snapshots[0])
    println ''
    println "in ${args[1]}: ${leaks}"
    leaks.byStack().top(top).each { println "  ${it}" }
}
exit(grew ? 3 : 0)
