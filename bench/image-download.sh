#!/usr/bin/env bash
# SSRF-safe image download throughput against a bare Vert.x HttpClient, same loopback server,
# same pool size, same run (ratios). Writes bench/results/image-download.md.
#
#   bench/image-download.sh [--downloads 2000] [--concurrency 32] [--rounds 3]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q compile
mvn -B -o -q org.apache.maven.plugins:maven-dependency-plugin:2.8:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -DincludeScope=runtime
CP="target/classes:$(cat target/bench-classpath.txt)"
mkdir -p target/bench-classes bench/results
javac -d target/bench-classes -cp "$CP" bench/src/io/brandscan/bench/ImageDownloadBench.java bench/src/io/brandscan/bench/BenchArgs.java
echo "-cp target/bench-classes:$CP" > target/bench-download-java-args.txt
exec java -Dlogback.configurationFile=bench/logback-bench.xml @target/bench-download-java-args.txt \
    io.brandscan.bench.ImageDownloadBench "$@"
