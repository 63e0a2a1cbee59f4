/*
 * find-leaks.groovy: the !htrace workflow in one go. Attach, enable tracing, snapshot, wait, diff,
 * and print the heaviest leak groups with the stack that opened them.
 *
 *   jhtrace script scripts/find-leaks.groovy PID|NAME [SECONDS=30] [TOP=5]
 *
 *   PID|NAME  the process (a name must match exactly one process)
 *   SECONDS   how long the process runs between the snapshot and the diff
 *   TOP       how many of the heaviest groups to print in full
 *
 * Exit code 3 when handles are outstanding (like jhtrace leaks --fail-on-leak), 0 when none.
 * Ctrl-C ends the wait early and still reports; tracing is disabled and the process detached whatever happens.
 */
import dev.jhtrace.shell.api.Cancelled

if (args.length < 1 || args.length > 3) usage('find-leaks.groovy PID|NAME [SECONDS=30] [TOP=5]')
long seconds = args.length > 1 ? args[1] as long : 30
int top = args.length > 2 ? args[2] as int : 5

def leaks = withTracing(attach(args[0])) { p ->
    def before = p.htrace.snapshot('before')
    println "tracing ${p} for ${seconds}s (${before.table().size()} handles open) ..."
    try {
        sleep seconds * 1000
    } catch (Cancelled stop) {
        println 'interrupted: reporting what was captured'
    }
    p.htrace.diff(before)
}

println leaks
leaks.byStack().top(top).eachWithIndex { group, i ->
    println ''
    println "#${i + 1}  ${group}"
    println group.stackText()
}
exit(leaks.size() > 0 ? 3 : 0)
