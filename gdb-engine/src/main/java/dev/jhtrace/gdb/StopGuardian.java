package dev.jhtrace.gdb;

import java.io.File;
import java.io.IOException;
import java.util.Optional;

/**
 * A small shell process, in a session of its own, that outlives jhtrace and gdb: once gdb is gone, for
 * whatever reason (jhtrace's detach, an abort, SIGKILL of gdb or of jhtrace and gdb together, the OOM
 * killer), it continues the target if any of its threads is left in a stop, until the state has been
 * stable for a second. A stop can be left behind because gdb interrupts threads with SIGSTOP: one still
 * pending when gdb dies is delivered after the kernel lets the target go, and stops the whole process,
 * with nobody left to continue it. Not used for a target that was already stopped before gdb attached, and
 * it leaves alone a target whose stop gdb was holding for it (a SIGSTOP or SIGTSTP it was sent: the marker
 * file exists): untraced, that stop would last until a SIGCONT.
 */
final class StopGuardian {
    /** Seconds the guardian watches at most after gdb is gone. */
    static final int WATCH_SECONDS = 10;

    // $1 gdb's pid, $2 the target's pid, $3 rounds, $4 "zombie-is-gone" or not, $5 the user-stop marker or
    // empty (its folder is deleted at the end: the guardian is the last to look at it). Quits as soon as another
    // tracer holds the target (not ours to touch). gdb is gone when its /proc entry is, when it is a zombie
    // (after jhtrace's death gdb's new parent is init, which may reap it a second or more later: the kernel
    // detached the target when gdb exited, not when it is reaped), or when its pid is another process's.
    private static final String SCRIPT = """
            gdb=$1 target=$2 rounds_max=$3 zombie=$4 marker=$5
            # gdb's stat after its name: field 1 the state, field 20 the start time. Builtins only: this polls all
            # trace long, every 50 ms
            stat_fields() { read -r line 2>/dev/null < "/proc/$gdb/stat" || return 1; fields=${line##*") "}; }
            started=; if stat_fields; then set -- $fields; started=${20}; fi
            running() {
              stat_fields || return 1
              set -- $fields
              if [ "$zombie" = zombie-is-gone ] && { [ "$1" = Z ] || [ "$1" = X ]; }; then return 1; fi
              [ "${20}" = "$started" ]
            }
            while running; do sleep 0.05; done
            if [ -n "$marker" ] && [ -e "$marker" ]; then rounds_max=0; fi
            quiet=0 rounds=0
            while [ -d "/proc/$target" ] && [ "$quiet" -lt 20 ] && [ "$rounds" -lt "$rounds_max" ]; do
              tracer=$(sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$target/status" 2>/dev/null)
              if [ -n "$tracer" ] && [ "$tracer" != 0 ] && [ "$tracer" != "$gdb" ]; then exit 0; fi
              if cat /proc/"$target"/task/*/stat 2>/dev/null | sed 's/.*) //' | cut -c1 | grep -q T; then
                kill -CONT "$target" 2>/dev/null
                quiet=0
              else
                quiet=$((quiet + 1))
              fi
              rounds=$((rounds + 1))
              sleep 0.05
            done
            if [ -n "$marker" ]; then rm -rf "${marker%/*}"; fi
            """;
    private static final File SETSID = new File("/usr/bin/setsid");

    private StopGuardian() {
    }

    /**
     * Starts the guardian of {@code targetPid} for the gdb with pid {@code gdbPid}. Empty when it cannot be
     * started (no setsid or sh); jhtrace's own rescue still covers every death but its own. {@code zombieIsGone}
     * is false only for the control that proves why it is true; {@code userStopMarker} is the file that exists
     * while gdb holds a stop the target was sent, or null.
     */
    static Optional<Process> start(long gdbPid, int targetPid, boolean zombieIsGone, java.nio.file.Path userStopMarker) {
        if (!SETSID.canExecute()) return Optional.empty();
        ProcessBuilder pb = new ProcessBuilder(SETSID.getPath(), "/bin/sh", "-c", SCRIPT, "jhtrace-guardian",
                Long.toString(gdbPid), Integer.toString(targetPid), Integer.toString(WATCH_SECONDS * 20),
                zombieIsGone ? "zombie-is-gone" : "zombie-is-running", userStopMarker == null ? "" : userStopMarker.toString())
                // never holds jhtrace's pipes: `jhtrace leaks ... | head` must see its end when jhtrace ends
                .redirectInput(new File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            return Optional.of(pb.start());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
