#!/usr/bin/env bash
# Overhead of descriptor tracing with stacks on Linux: the same open+close loop (examples/linux/fdloop.c)
# run plain, under jhtrace (gdb engine, 16-frame stacks) and under `strace -f -k -e trace=openat,close`,
# side by side. fdloop times its own loop, so tracer start-up is not counted.
#
#   benchmarks/linux-overhead.sh [ITERATIONS]      (default 20000; 2 traced syscalls per iteration)
set -euo pipefail
N=${1:-20000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/gdb-engine/target/bench
mkdir -p "$OUT"
gcc -g -O0 -Wall -o "$OUT/fdloop" "$ROOT/examples/linux/fdloop.c"
(cd "$ROOT" && ./mvnw -B -q -pl gdb-engine -am test-compile)
CP="$ROOT/gdb-engine/target/test-classes:$ROOT/gdb-engine/target/classes:$ROOT/core/target/classes"

loop_seconds() { sed -n 's/^loop [0-9]* iterations \([0-9.]*\) s$/\1/p'; }

plain=$("$OUT/fdloop" "$N" | loop_seconds)
jh_out=$(java -cp "$CP" dev.jhtrace.gdb.OverheadRunner "$OUT/fdloop" "$N")
jhtrace=$(echo "$jh_out" | loop_seconds)
jh_events=$(echo "$jh_out" | sed -n 's/^jhtrace events \([0-9]*\).*/\1/p')
if command -v strace >/dev/null; then
  strace_s=$(strace -f -k -e trace=openat,close -o /dev/null "$OUT/fdloop" "$N" | loop_seconds)
else
  strace_s=""
fi

echo "iterations: $N (each: open + close = 2 traced syscalls)"
echo "$jh_out" | grep '^jhtrace events'
awk -v n="$N" -v p="$plain" -v j="$jhtrace" -v s="$strace_s" 'BEGIN {
  ev = 2 * n
  printf "%-34s %10s %16s\n", "run", "loop (s)", "per event (us)"
  printf "%-34s %10.3f %16.2f\n", "plain", p, p / ev * 1e6
  printf "%-34s %10.3f %16.2f   (+%.2f us tracing)\n", "jhtrace (gdb, 16-frame stacks)", j, j / ev * 1e6, (j - p) / ev * 1e6
  if (s != "") {
    printf "%-34s %10.3f %16.2f   (+%.2f us tracing)\n", "strace -f -k -e trace=openat,close", s, s / ev * 1e6, (s - p) / ev * 1e6
    printf "ratio jhtrace/strace (tracing cost per event): %.2f\n", (j - p) / (s - p)
  } else print "strace not installed: no comparison"
}'
