#!/usr/bin/env bash
# Times jhtrace's /proc descriptor listing (ProcFdReader) against `lsof -p PID` on one process holding many
# descriptors (examples/linux/manyfds.c), side by side in one run, interleaved so that machine load hits both alike.
#
#   benchmarks/handles-vs-lsof.sh [FDS=19000] [REPEATS=7] [WARM_LISTINGS=10]
#
# Per repeat it runs: lsof -p PID once; a fresh JVM that lists once (in-JVM time of that first listing, which
# includes loading and warming up the reader but not JVM start-up, and the wall time of the whole java process);
# a fresh JVM that lists WARM_LISTINGS+1 times (warm listings); and a trivial java main (JVM start-up alone).
# It also runs the release's launcher, as a user would, for the whole `jhtrace handles --pid PID` process (to
# /dev/null) and for `jhtrace --version`, with its class-data-sharing archive and without (JHTRACE_CDS=off).
# Prints medians and the ratios lsof/jhtrace, of wall time and, for lsof and the launcher's commands, of CPU time
# (user + system, from bash's time): on a loaded machine the wall times say as much about the scheduler as about
# the work. Needs gcc, lsof, java 17 and the compiled classes (built if missing);
# the release is the one in dist/target (built if missing), or the launcher named by JHTRACE_LAUNCHER.
# JAVA_OPTS (e.g. -XX:TieredStopAtLevel=1, what a command-line launcher might use) is passed to every java run
# of the reader alone; the launcher uses its own options.
set -euo pipefail

FDS=${1:-19000}
REPEATS=${2:-7}
WARM=${3:-10}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
CP="$ROOT/core/target/classes:$ROOT/linux-proc/target/classes"
read -r -a JOPTS <<< "${JAVA_OPTS:-}"
MAIN=dev.jhtrace.proc.ProcFdTiming
TARGET_PID=

cleanup() {
  # closing manyfds's stdin makes it exit by itself
  exec 3>&- 2>/dev/null || true
  if [[ -n "$TARGET_PID" ]]; then wait "$TARGET_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in gcc lsof java; do
  command -v "$tool" >/dev/null || { echo "handles-vs-lsof: $tool is not installed" >&2; exit 6; }
done
if [[ ! -f "$ROOT/linux-proc/target/classes/${MAIN//.//}.class" ]]; then
  (cd "$ROOT" && ./mvnw -B -q -pl linux-proc -am compile)
fi

LAUNCHER=${JHTRACE_LAUNCHER:-}
if [[ -z "$LAUNCHER" ]]; then
  LAUNCHER=$(ls "$ROOT"/dist/target/jhtrace-*/bin/jhtrace 2>/dev/null | head -n 1 || true)
  if [[ -z "$LAUNCHER" ]]; then
    (cd "$ROOT" && ./mvnw -B -q -pl dist -am -DskipTests package >&2)
    LAUNCHER=$(ls "$ROOT"/dist/target/jhtrace-*/bin/jhtrace | head -n 1)
  fi
fi
"$LAUNCHER" --version > /dev/null # makes the class-data-sharing archive if this Java has none yet

gcc -g -O0 -pthread -o "$WORK/manyfds" "$ROOT/examples/linux/manyfds.c"
mkfifo "$WORK/stdin"
"$WORK/manyfds" "$FDS" < "$WORK/stdin" > "$WORK/manyfds.out" &
TARGET_PID=$!
exec 3> "$WORK/stdin"
for _ in $(seq 100); do grep -q ready "$WORK/manyfds.out" 2>/dev/null && break; sleep 0.05; done
grep -q ready "$WORK/manyfds.out" || { echo "handles-vs-lsof: manyfds did not start" >&2; exit 1; }

TIMEFORMAT='%R %U %S' # bash's time keyword: wall, user and system seconds
# timed FILE CMD...: runs CMD (its stdout to /dev/null), appends "wall_ms cpu_ms" to FILE
timed() {
  local file=$1; shift
  { time "$@" > /dev/null; } 2> "$WORK/time.out"
  # the last line: time's own, after anything the command wrote on stderr
  tail -n 1 "$WORK/time.out" | awk '{ printf "%.1f %.1f\n", $1 * 1000, ($2 + $3) * 1000 }' >> "$file"
}
now_ms() { echo "${EPOCHREALTIME/[.,]/}" ; }   # microseconds since the epoch
elapsed_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f\n", (b - a) / 1000 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: > "$WORK/lsof"; : > "$WORK/first"; : > "$WORK/whole"; : > "$WORK/warm"; : > "$WORK/startup"
: > "$WORK/cmd"; : > "$WORK/cmd-nocds"; : > "$WORK/version"; : > "$WORK/version-nocds"
lsof_fds=0; jhtrace_fds=0
for ((i = 1; i <= REPEATS; i++)); do
  # lsof writes descriptors >= 10000 as *NNN (the last digits): count every numeric FD column
  timed "$WORK/lsof" lsof -p "$TARGET_PID"

  t0=$(now_ms); out=$(java "${JOPTS[@]}" -cp "$CP" "$MAIN" "$TARGET_PID" 0); t1=$(now_ms)
  elapsed_ms "$t0" "$t1" >> "$WORK/whole"
  awk '$1 == "first" { print $2 }' <<< "$out" >> "$WORK/first"
  jhtrace_fds=$(awk '$1 == "fds" { print $2 }' <<< "$out")

  out=$(java "${JOPTS[@]}" -cp "$CP" "$MAIN" "$TARGET_PID" "$WARM")
  awk '$1 == "first" { print $2 }' <<< "$out" >> "$WORK/first"
  awk '$1 == "warm" { print $2 }' <<< "$out" >> "$WORK/warm"

  t0=$(now_ms); java "${JOPTS[@]}" -cp "$CP" "$MAIN" --startup; t1=$(now_ms)
  elapsed_ms "$t0" "$t1" >> "$WORK/startup"

  # the whole command as a user runs it, right after lsof's turn above (JHTRACE_JAVA_OPTS left to the launcher)
  timed "$WORK/cmd" env -u JHTRACE_JAVA_OPTS "$LAUNCHER" handles --pid "$TARGET_PID"
  timed "$WORK/cmd-nocds" env -u JHTRACE_JAVA_OPTS JHTRACE_CDS=off "$LAUNCHER" handles --pid "$TARGET_PID"
  timed "$WORK/version" env -u JHTRACE_JAVA_OPTS "$LAUNCHER" --version
  timed "$WORK/version-nocds" env -u JHTRACE_JAVA_OPTS JHTRACE_CDS=off "$LAUNCHER" --version
done
lsof_fds=$(lsof -p "$TARGET_PID" 2>/dev/null | awk '$4 ~ /^[*]?[0-9]+[rwu]?$/' | wc -l)
wall() { awk '{ print $1 }' "$1" | median; }
cpu() { awk '{ print $2 }' "$1" | median; }
cmd_ms=$(wall "$WORK/cmd"); cmd_nocds_ms=$(wall "$WORK/cmd-nocds")
version_ms=$(wall "$WORK/version"); version_nocds_ms=$(wall "$WORK/version-nocds")
lsof_cpu=$(cpu "$WORK/lsof"); cmd_cpu=$(cpu "$WORK/cmd"); cmd_nocds_cpu=$(cpu "$WORK/cmd-nocds")
version_cpu=$(cpu "$WORK/version"); version_nocds_cpu=$(cpu "$WORK/version-nocds")

lsof_ms=$(wall "$WORK/lsof"); first_ms=$(median < "$WORK/first"); warm_ms=$(median < "$WORK/warm")
whole_ms=$(median < "$WORK/whole"); startup_ms=$(median < "$WORK/startup")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", a / b }'; }

echo "descriptors: manyfds holds $FDS dups of /dev/null; lsof listed $lsof_fds fd lines, jhtrace $jhtrace_fds entries"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1), JAVA_OPTS='${JAVA_OPTS:-}'"
printf '%-52s %10s %6s %12s\n' "measure" "median ms" "n" "median CPU ms"
printf '%-52s %10s %6s %12s\n' "lsof -p PID (whole process)" "$lsof_ms" "$(wc -l < "$WORK/lsof")" "$lsof_cpu"
printf '%-52s %10s %6s\n' "jhtrace first listing in a fresh JVM (no start-up)" "$first_ms" "$(wc -l < "$WORK/first")"
printf '%-52s %10s %6s\n' "jhtrace warm listing" "$warm_ms" "$(wc -l < "$WORK/warm")"
printf '%-52s %10s %6s\n' "JVM start-up (trivial java -cp main)" "$startup_ms" "$(wc -l < "$WORK/startup")"
printf '%-52s %10s %6s\n' "jhtrace whole java process, one listing" "$whole_ms" "$(wc -l < "$WORK/whole")"
printf '%-52s %10s %6s %12s\n' "jhtrace handles --pid PID, whole command (launcher)" "$cmd_ms" "$(wc -l < "$WORK/cmd")" "$cmd_cpu"
printf '%-52s %10s %6s %12s\n' "  the same without the CDS archive" "$cmd_nocds_ms" "$(wc -l < "$WORK/cmd-nocds")" "$cmd_nocds_cpu"
printf '%-52s %10s %6s %12s\n' "jhtrace --version, whole command (launcher)" "$version_ms" "$(wc -l < "$WORK/version")" "$version_cpu"
printf '%-52s %10s %6s %12s\n' "  the same without the CDS archive" "$version_nocds_ms" "$(wc -l < "$WORK/version-nocds")" "$version_nocds_cpu"
echo "launcher: $LAUNCHER"
echo "ratio lsof / jhtrace handles command: $(ratio "$lsof_ms" "$cmd_ms")   (>= 1: jhtrace no slower than lsof)"
echo "  the same in CPU time:               $(ratio "$lsof_cpu" "$cmd_cpu")"
echo "ratio lsof / jhtrace first listing:  $(ratio "$lsof_ms" "$first_ms")"
echo "ratio lsof / jhtrace warm listing:   $(ratio "$lsof_ms" "$warm_ms")"
echo "ratio lsof / jhtrace whole process:  $(ratio "$lsof_ms" "$whole_ms")"
