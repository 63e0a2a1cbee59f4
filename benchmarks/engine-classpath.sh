# Sourced by the perf engine's benchmarks after ROOT is set: CP, the engines' compiled classes and their test runners,
# and the one library the perf engine uses (JNA, at the version the build pins), from the local Maven repository.
JNA_VERSION=$(sed -n 's|.*<jna.version>\(.*\)</jna.version>.*|\1|p' "$ROOT/pom.xml")
CP="$ROOT/perf-engine/target/test-classes:$ROOT/perf-engine/target/classes:$ROOT/gdb-engine/target/test-classes:$ROOT/gdb-engine/target/classes:$ROOT/linux-proc/target/classes:$ROOT/core/target/classes:$HOME/.m2/repository/net/java/dev/jna/jna/$JNA_VERSION/jna-$JNA_VERSION.jar"
