#!/usr/bin/env bash
# The AI phase end to end (ElasticMQ message, mongo-java-server pages, scoring, finding upserts,
# completion) against InfringementScorer.scoreAll alone on the same listings, same run (ratios).
#
#   bench/ai-phase.sh [--listings 1000] [--page-size 200] [--rounds 2]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q compile
mvn -B -o -q org.apache.maven.plugins:maven-dependency-plugin:2.8:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -DincludeScope=runtime
CP="target/classes:$(cat target/bench-classpath.txt)"
mkdir -p target/bench-classes
javac -d target/bench-classes -cp "$CP" bench/src/io/brandscan/bench/AiPhaseBench.java bench/src/io/brandscan/bench/BenchArgs.java
# The classpath goes through an @argfile: ONNX Runtime crashes on a long JVM command line.
echo "-cp target/bench-classes:$CP" > target/bench-ai-java-args.txt
exec java -Dai.djl.offline=true -Dlogback.configurationFile=bench/logback-bench.xml @target/bench-ai-java-args.txt \
    io.brandscan.bench.AiPhaseBench "$@"
