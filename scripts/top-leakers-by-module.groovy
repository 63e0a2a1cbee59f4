/*
 * top-leakers-by-module.groovy: which modules (executables, shared libraries, DLLs) leak the most
 * handles, and within each, which functions.
 *
 *   jhtrace script scripts/top-leakers-by-module.groovy PID|NAME [SECONDS=10] [TOP=5]
 *   jhtrace script scripts/top-leakers-by-module.groovy FILE [TOP=5]
 *
 *   PID|NAME  a live process: traced for SECONDS, then diffed
 *   FILE      a saved session or a WinDbg log: diffed since its first snapshot
 *   TOP       how many modules, and functions per module, to print
 *
 * Exit code 3 when handles are outstanding, 0 when none.
 */
import java.nio.file.Files
import java.nio.file.Path

if (args.length < 1 || args.length > 3) usage('top-leakers-by-module.groovy PID|NAME [SECONDS=10] [TOP=5]  or  FILE [TOP=5]')
def fromFile = Files.isRegularFile(Path.of(args[0]))
def leaks
int top
if (fromFile) {
    top = args.length > 1 ? args[1] as int : 5
    def t = open(args[0])
    leaks = t.htrace.diff(t.htrace.snapshots[0])
} else {
    long seconds = args.length > 1 ? args[1] as long : 10
    top = args.length > 2 ? args[2] as int : 5
    leaks = withTracing(attach(args[0])) { p ->
        def s = p.htrace.snapshot()
        println "tracing ${p} for ${seconds}s ..."
        sleep seconds * 1000
        p.htrace.diff(s)
    }
}

println leaks
def functions = leaks.byFunction()
leaks.byModule().top(top).eachWithIndex { module, i ->
    println ''
    println String.format('#%d  %-30s %6d handles  %s', i + 1, module.key, module.count, module.types)
    functions.findAll { it.leakFrame?.module() == module.key }.take(top).each { f ->
        println String.format('      %-40s %6d  %s', f.key, f.count, f.leakFrame.file() ? "${f.leakFrame.file()}:${f.leakFrame.line()}" : '')
    }
}
exit(leaks.size() > 0 ? 3 : 0)
