#!/usr/bin/env bash
# Tracing cost per descriptor event, side by side in one run: the same open+close loop (examples/linux/fdloop.c)
# run plain, under the perf engine, under the gdb engine (both with 16-frame stacks) and under
# `strace -f -k -e trace=openat,close`. fdloop times its own loop, so tracer start-up is not counted.
# Needs root (or CAP_PERFMON) for perf.
#
#   benchmarks/engine-overhead.sh [ITERATIONS]      (default 20000; 2 traced syscalls per iteration)
set -euo pipefail
N=${1:-20000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/perf-engine/target/bench
mkdir -p "$OUT"
gcc -g -O0 -Wall -o "$OUT/fdloop" "$ROOT/examples/linux/fdloop.c"
(cd "$ROOT" && ./mvnw -B -q -o -pl perf-engine -am test-compile)
. "$ROOT/benchmarks/engine-classpath.sh"

loop_seconds() { sed -n 's/^loop [0-9]* iterations \([0-9.]*\) s$/\1/p'; }

plain=$("$OUT/fdloop" "$N" | loop_seconds)
perf_out=$(java -cp "$CP" dev.jhtrace.perf.PerfOverheadRunner "$OUT/fdloop" "$N" 2>&1)
perf_s=$(echo "$perf_out" | loop_seconds)
gdb_out=$(java -cp "$CP" dev.jhtrace.gdb.OverheadRunner "$OUT/fdloop" "$N" 2>&1)
gdb_s=$(echo "$gdb_out" | loop_seconds)
strace_s=$(strace -f -k -e trace=openat,close -o /dev/null "$OUT/fdloop" "$N" | loop_seconds)

echo "iterations: $N (each: open + close = 2 traced syscalls)"
echo "$perf_out" | grep '^perf events'
echo "$gdb_out" | grep '^jhtrace events' | sed 's/^jhtrace/gdb/'
awk -v n="$N" -v p="$plain" -v f="$perf_s" -v g="$gdb_s" -v s="$strace_s" 'BEGIN {
  ev = 2 * n
  printf "%-36s %10s %16s %14s\n", "run", "loop (s)", "per event (us)", "added (us)"
  printf "%-36s %10.3f %16.2f\n", "native", p, p / ev * 1e6
  printf "%-36s %10.3f %16.2f %14.2f\n", "jhtrace --engine perf", f, f / ev * 1e6, (f - p) / ev * 1e6
  printf "%-36s %10.3f %16.2f %14.2f\n", "jhtrace --engine gdb", g, g / ev * 1e6, (g - p) / ev * 1e6
  printf "%-36s %10.3f %16.2f %14.2f\n", "strace -f -k -e trace=openat,close", s, s / ev * 1e6, (s - p) / ev * 1e6
  printf "slowdown vs native: perf %.1fx, gdb %.1fx, strace -k %.1fx\n", f / p, g / p, s / p
  printf "added cost ratios: perf/gdb %.4f, perf/strace %.4f, gdb/strace %.2f\n", (f - p) / (g - p), (f - p) / (s - p), (g - p) / (s - p)
}'
