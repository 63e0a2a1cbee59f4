#!/bin/bash
# SIGKILLs `jhtrace capture` mid-run N times and says whether the target was left traced or stopped.
# The gdb engine must detach when jhtrace dies (its watchdog); CaptureCommandTest checks one kill, this
# script many. Usage: examples/linux/capture/kill-stress.sh [runs=10]   (from the checkout, after a build)
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
gcc -g -O0 -o "$bin/steady-leaker" "$root/examples/linux/capture/steady-leaker.c" || exit 1
stuck=0
for i in $(seq 1 "${1:-10}"); do
  "$bin/steady-leaker" 250 60 & target=$!
  sleep 0.3
  java -jar "$root/shell/target/jhtrace.jar" capture --pid "$target" --every 1s --out "$bin/capture-$i" >"$bin/log-$i" 2>&1 & jhtrace=$!
  sleep "4.$((i * 37 % 10))"
  gdb_pid=$(pgrep -P "$jhtrace" gdb)
  kill -9 "$jhtrace"
  verdict="left traced or stopped"
  for _ in $(seq 1 20); do
    sleep 0.5
    if grep -q "TracerPid:	0" "/proc/$target/status" && ! grep -q "State:	[tT]" "/proc/$target/status"; then verdict="untouched"; break; fi
  done
  [ "$verdict" = untouched ] || stuck=$((stuck + 1))
  echo "run $i: $verdict ($(grep State "/proc/$target/status" | tr -s '\t' ' '))"
  [ -n "$gdb_pid" ] && kill -9 "$gdb_pid" 2>/dev/null
  kill -9 "$target" 2>/dev/null
  wait "$target" 2>/dev/null
done
echo "$stuck run(s) left the target traced or stopped"
[ "$stuck" -eq 0 ]
