#!/usr/bin/env bash
# Perceptual-hash quality and decode/hash speed on the test images (not part of the test suite).
# Quality: recall at precision 0.999 per near-duplicate transform, for the seed's plain aHash and
# pHash and for brandscan's ImageFingerprint distances. Speed: ImageDecoder.decode against a
# bare ImageIO.read of the same bytes, and ImageFingerprint.of against the plain aHash alone,
# as ratios measured in the same run. Writes bench/results/image-hashes.md.
#
#   bench/image-hashes.sh [--rounds 5]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q compile
mvn -B -o -q org.apache.maven.plugins:maven-dependency-plugin:2.8:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -DincludeScope=runtime
CP="target/classes:$(cat target/bench-classpath.txt)"
mkdir -p target/bench-classes bench/results
javac -d target/bench-classes -cp "$CP" bench/src/io/brandscan/bench/ImageHashBench.java \
    bench/src/io/brandscan/bench/NearDuplicates.java
echo "-cp target/bench-classes:$CP" > target/bench-image-java-args.txt
exec java -Djava.awt.headless=true @target/bench-image-java-args.txt io.brandscan.bench.ImageHashBench "$@"
