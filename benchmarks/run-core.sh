#!/usr/bin/env bash
# Core benchmark: diff + group-by-stack over 1,000,000 OPEN events (+500,000 CLOSE) with 200 distinct
# 16-frame stacks, and the heap retained per event. Prints JMH's table and the footprint line.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl benchmarks -am package -DskipTests
java -jar benchmarks/target/benchmarks.jar DiffBenchmark "$@"
java -Xmx4g -XX:+UseSerialGC -cp benchmarks/target/benchmarks.jar dev.jhtrace.bench.TraceFootprint
