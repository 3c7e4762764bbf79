#!/usr/bin/env bash
# Embedding speed benchmark: images/s through the embedding verticle against a bare ONNX Runtime
# session (same model, batch size, threads and preprocessed input, same run), plus the time share
# of decoding and preprocessing. Writes bench/results/embedding-speed.md.
#
#   bench/embedding-speed.sh [--rounds 7] [--warmup 2] [--images 64] [--threads 1]
#
# Offline build (everything is in ~/.m2); not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q compile
mvn -B -o -q org.apache.maven.plugins:maven-dependency-plugin:2.8:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -DincludeScope=runtime
CP="target/classes:$(cat target/bench-classpath.txt)"
mkdir -p target/bench-classes
javac -d target/bench-classes -cp "$CP" bench/src/io/brandscan/bench/EmbeddingSpeedBench.java bench/src/io/brandscan/bench/BenchArgs.java
# The classpath goes in an @argfile: ONNX Runtime 1.29's native init segfaults when the JVM's
# command line is long (a plain `java -cp <70 jars>` crashes; surefire avoids it with a short
# manifest classpath).
echo "-cp target/bench-classes:$CP" > target/bench-java-args.txt
export DJL_OFFLINE=true
exec java -Dai.djl.offline=true -Dlogback.configurationFile=bench/logback-bench.xml \
    @target/bench-java-args.txt io.brandscan.bench.EmbeddingSpeedBench "$@"
