#!/usr/bin/env bash
# The soak: devservices, registry, api and two workers as separate JVMs on loopback; three clients
# made through the REST API, a brand each over a feed that gives every scan its own demo listings;
# N scans of M listings started at once across the clients. Reports throughput (urls/s), per-scan
# latency (min/median/p95/max), the registry JVM's peak memory, and fails (exit 1) unless every scan
# is complete with exact counts and findings that match the ground truth. Writes bench/results/soak.md.
#
#   bench/soak.sh [--scans 20] [--listings 500] [--clients 3] [--timeout-s 3600] [--out file]
#   bench/soak.sh --scans 3 --listings 40        # a small try, a few minutes
#
# Offline build (everything is in ~/.m2); not part of the test suite. Group logs: target/soak/*.log.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q compile
mvn -B -o -q org.apache.maven.plugins:maven-dependency-plugin:2.8:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -DincludeScope=runtime
# A snapshot of the classes, so a rebuild while the soak runs cannot pull classes from under it.
rm -rf target/bench-soak-classes && cp -r target/classes target/bench-soak-classes
CP="target/bench-soak-classes:$(cat target/bench-classpath.txt)"
mkdir -p target/bench-soak-bench-classes bench/results
# GroupProcesses is the multi-process tests' launcher of groups as JVMs; it needs nothing from the
# tests, so the bench compiles its source rather than keep a copy.
javac -d target/bench-soak-bench-classes -cp "$CP" bench/src/io/brandscan/bench/SoakBench.java bench/src/io/brandscan/bench/BenchArgs.java \
    bench/src/io/brandscan/bench/SoakMarketplace.java src/test/java/io/brandscan/launcher/GroupProcesses.java
# The classpath goes in an @argfile: ONNX Runtime crashes on a long JVM command line. The group
# processes get the same classpath through the CLASSPATH variable.
echo "-cp target/bench-soak-bench-classes:$CP" > target/bench-soak-java-args.txt
export DJL_OFFLINE=true
# shellcheck disable=SC2086
exec java -Xmx1g ${JAVA_OPTS:-} -Dai.djl.offline=true -Dlogback.configurationFile=bench/logback-bench.xml \
    @target/bench-soak-java-args.txt io.brandscan.bench.SoakBench "$@"
