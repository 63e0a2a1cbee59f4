#!/usr/bin/env bash
# Events per second the perf engine takes without loss, side by side in one run, at perf's default ring for jhtrace
# (RingSize: 64 MiB per CPU on machines of up to 4 CPUs, 16 to 32 MiB on larger ones): fdpace (benchmarks/fdpace.c) opens and closes
# /dev/null at a steady RATE of traced events per second (half of them opens with 2 KiB DWARF stacks) for SECONDS,
# recorded three ways with the same events and ring:
#   recording only   perf record -o - | cat         (no decoding: what perf record and the kernel alone lose)
#   perf script      perf record -o - | perf script (the text decoding the engine used before: unwinds every stack)
#   jhtrace perf     the perf engine (Java decoding of the pipe stream, stacks unwound only for open descriptors)
#   jhtrace 64 KiB   the same with perf record's pipe left at the kernel's 64 KiB (the engine widens it: PipeCapacity)
# then the decoders' capacity on the recording of the highest rate, from a file: perf script vs the Java decoder
# (its first pass, JIT cold, and the median of its later passes). Needs root (or CAP_PERFMON).
#
#   benchmarks/decoder-throughput.sh [SECONDS] [RATE...]     (default: 2 s at 50000 100000 200000 300000)
#   JVM_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" benchmarks/decoder-throughput.sh ...   (the jhtrace launcher's)
#   BUSY=4 benchmarks/decoder-throughput.sh ...   (the same under a known load: 4 busy loops at normal priority
#                                                  competing for the CPUs all the while, for all three recorders alike)
set -euo pipefail
SECONDS_EACH=${1:-2}
shift || true
RATES=${*:-50000 100000 200000 300000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/perf-engine/target/bench
mkdir -p "$OUT"
gcc -O2 -g -Wall -o "$OUT/fdpace" "$ROOT/benchmarks/fdpace.c"
(cd "$ROOT" && ./mvnw -B -q -o -pl perf-engine -am test-compile)
. "$ROOT/benchmarks/engine-classpath.sh"
EVENTS=(syscalls:sys_exit_openat syscalls:sys_enter_close)
RING=$(java -cp "$CP" dev.jhtrace.perf.PipeDecodeRunner ring) # the engine's pages per CPU, for the other two as well
REC=(perf record -q -k CLOCK_MONOTONIC --call-graph dwarf,2048 -m "$RING" -o - -e "${EVENTS[0]}" --filter 'ret >= 0' -e "${EVENTS[1]}/call-graph=no/")
SCRIPT=(perf script -i - --ns --no-inline --show-lost-events --max-stack 24 -F pid,tid,time,event,trace,ip,sym,symoff,dso)

count() { java -cp "$CP" dev.jhtrace.perf.PipeDecodeRunner count "$1" "${EVENTS[@]}"; }  # "samples N lost N"
achieved() { sed -n 's/^paced .*: \([0-9]*\) events\/s$/\1/p'; }

for _ in $(seq "${BUSY:-0}"); do (while :; do :; done) & done
trap 'jobs -p | xargs -r kill 2>/dev/null' EXIT
echo "busy loops: ${BUSY:-0}; load: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; ring $RING pages per CPU; $(perf --version); JVM options: ${JVM_OPTS:-(defaults)}"
printf "%-9s | %-30s | %-30s | %-58s | %-26s\n" "rate/s" "recording only: decoded lost" "perf script: decoded lost" "jhtrace perf: decoded lost bytes/event heap+direct (achieved/s)" "jhtrace 64 KiB pipe: lost"
last=
for rate in $RATES; do
  "${REC[@]}" -- "$OUT/fdpace" "$rate" "$SECONDS_EACH" 2>/dev/null | cat > "$OUT/rec-$rate.data"
  read -r _ rs _ rl _ <<<"$(count "$OUT/rec-$rate.data")"
  "${REC[@]}" -- "$OUT/fdpace" "$rate" "$SECONDS_EACH" 2>/dev/null | tee "$OUT/script-$rate.data" | "${SCRIPT[@]}" >/dev/null 2>&1
  read -r _ ss _ sl _ <<<"$(count "$OUT/script-$rate.data")"
  eng=$(java ${JVM_OPTS:-} -cp "$CP" dev.jhtrace.perf.PerfOverheadRunner "$OUT/fdpace" "$rate" "$SECONDS_EACH" 2>&1)
  ee=$(echo "$eng" | sed -n 's/^perf events \([0-9]*\) .*/\1/p')
  el=$(echo "$eng" | sed -n 's/.* lost \([0-9]*\) .*/\1/p')
  eh=$(echo "$eng" | sed -n 's/.*heap-bytes-per-event \([0-9]*\).*/\1/p')
  ed=$(echo "$eng" | sed -n 's/.*direct-bytes-per-event \([0-9]*\).*/\1/p')
  ea=$(echo "$eng" | achieved)
  narrow=$(java ${JVM_OPTS:-} -cp "$CP" dev.jhtrace.perf.PerfOverheadRunner --default-pipe "$OUT/fdpace" "$rate" "$SECONDS_EACH" 2>&1)
  nl=$(echo "$narrow" | sed -n 's/.* lost \([0-9]*\) .*/\1/p')
  printf "%-9s | %-30s | %-30s | %-58s | %-26s\n" "$rate" "$rs $rl" "$ss $sl" "$ee $el $eh+$ed ($ea)" "$nl ($(echo "$narrow" | achieved))"
  echo "  load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  last=$rate
done
f="$OUT/rec-$last.data"
read -r _ n _ _ <<<"$(count "$f")"
t0=$(date +%s.%N)
perf script -i "$f" --ns --no-inline --max-stack 24 -F pid,tid,time,event,trace,ip,sym,symoff,dso >/dev/null 2>&1
t1=$(date +%s.%N)
echo "decoder capacity on $f ($n events):"
awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "perf script (unwinding every stack): %.3f s: %.0f events/s\n", b - a, n / (b - a) }'
java ${JVM_OPTS:-} -cp "$CP" dev.jhtrace.perf.PipeDecodeRunner decode "$f" 20 "${EVENTS[@]}"
