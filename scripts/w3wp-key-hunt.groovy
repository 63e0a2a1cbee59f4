/*
 * w3wp-key-hunt.groovy: replays the w3wp.exe registry-key hunt of the seed blog post on an imported
 * WinDbg log (.logopen output, or the transcription in examples/windbg/w3wp-key-leak.log):
 *   1. !handle 0 0        which type dominates the handle table (there: Key, 65602 of 66316)
 *   2. !handle 0 ff Key   what the listed handles of that type name (there: mostly <none>)
 *   3. !htrace -diff      which code opened the outstanding handles, looking past the registry API
 *                         (advapi32) to its caller (there: MyCustomDll!RegSetValueW+0x1543)
 *
 *   jhtrace script scripts/w3wp-key-hunt.groovy [LOG...]      (default: examples/windbg/w3wp-key-leak.log)
 *
 * Exit code 3 when a leaking module was found, 0 otherwise.
 */
def logs = args.length > 0 ? args as List : ["${home}/examples/windbg/w3wp-key-leak.log".toString()]
def log = importWindbg(*logs)

// 1. !handle 0 0: the dominant type
def listing = log.listing()
if (listing.types().isEmpty()) fail('the log has no !handle 0 0 output')
def (type, count) = listing.types().entrySet().first().with { [it.key, it.value] }
println String.format('1. !handle 0 0: %d handles; %s is %d of them (%.1f%%)', listing.total(), type, count, 100.0 * count / listing.total())

// 2. !handle 0 ff Type: what they name
def shown = listing.handles().findAll { it.type() == type }
def unnamed = shown.count { it.name() == null }
println "2. !handle 0 ff ${type}: ${shown.size()} listed, ${unnamed} without a name" + (shown.any { it.name() } ? "; named: ${shown.findAll { it.name() }*.name().unique().join(', ')}" : '')

// 3. !htrace -diff: who opened what is still open, past the OS and the registry API
def leaks = log.htrace.diff()
def apiModules = leaks.outstanding*.stack().collectMany { it.frames()*.module() }.findAll { it?.toLowerCase()?.startsWith('advapi32') }.unique()
def blamed = leaks.skipping(*apiModules).byStack()
println "3. !htrace -diff: ${leaks.size()} outstanding handle(s)"
blamed.each { println "   ${it}" }
if (blamed.size() == 0) {
    println 'no outstanding handles in the log'
    exit(0)
}
def culprit = blamed[0].leakFrame
println ''
println "${culprit.module()} opens ${type} handles in ${culprit.symbol()} and does not close them."
exit(3)
