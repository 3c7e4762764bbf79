#!/usr/bin/env bash
# A whole scan on the embedded stack (the `all` group in one process) against the demo marketplace
# with 2,000 listings: URLs per second end to end against the embedding stage alone (the same
# EmbeddingVerticle fed the same images' decoded pixels), same run, plus the time of each stage
# from the scan's state_times. Writes bench/results/pipeline.md. Goal: ratio >= 0.8.
#
#   bench/pipeline.sh [--listings 2000] [--warmup 5000] [--max-warmups 5] [--settled 0.15] [--conf '{"acquire":{"max_in_flight":32}}'] [--out file]
#   JAVA_OPTS='-XX:StartFlightRecording=duration=60s,filename=/tmp/pipeline.jfr' bench/pipeline.sh
#
# Offline build (everything is in ~/.m2); not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q compile
mvn -B -o -q org.apache.maven.plugins:maven-dependency-plugin:2.8:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -DincludeScope=runtime
# A snapshot of the classes, so a rebuild while the bench runs cannot pull classes from under it.
rm -rf target/bench-pipeline-classes && cp -r target/classes target/bench-pipeline-classes
CP="target/bench-pipeline-classes:$(cat target/bench-classpath.txt)"
mkdir -p target/bench-classes bench/results
javac -d target/bench-classes -cp "$CP" bench/src/io/brandscan/bench/PipelineBench.java
# The classpath goes in an @argfile: ONNX Runtime crashes on a long JVM command line.
echo "-cp target/bench-classes:$CP" > target/bench-pipeline-java-args.txt
export DJL_OFFLINE=true
# shellcheck disable=SC2086
exec java -Xmx2g ${JAVA_OPTS:-} -Dai.djl.offline=true -Dlogback.configurationFile=bench/logback-bench.xml \
    @target/bench-pipeline-java-args.txt io.brandscan.bench.PipelineBench "$@"
