#!/usr/bin/env bash
# Image near-duplicate quality (issue 3 "Show"): recall at precision 0.999 per transform and
# overall for aHash, dHash, pHash alone, the embedding cosine alone and brandscan's image_score,
# on near-duplicates generated in code from the 11 test images. Writes bench/results/image-quality.md.
#
#   bench/image-quality.sh [--dump target/image-pairs.csv]
#
# Needs cwebp for the WebP transform: installed here with apt-get when missing (skipped with a
# note if that fails). Offline build; not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cwebp >/dev/null 2>&1; then
    echo "cwebp not found: installing Debian's webp package" >&2
    (apt-get update -qq && apt-get install -y -qq webp) >&2 \
        || echo "note: could not install webp; the WebP transform will be skipped" >&2
fi
mvn -B -o -q compile
mvn -B -o -q org.apache.maven.plugins:maven-dependency-plugin:2.8:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -DincludeScope=runtime
CP="target/classes:$(cat target/bench-classpath.txt)"
mkdir -p target/bench-classes bench/results
javac -d target/bench-classes -cp "$CP" bench/src/io/brandscan/bench/ImageQualityBench.java \
    bench/src/io/brandscan/bench/NearDuplicates.java bench/src/io/brandscan/bench/RecallAtPrecision.java
# The classpath goes in an @argfile: ONNX Runtime 1.29 segfaults at start-up with a long command line.
echo "-cp target/bench-classes:$CP" > target/bench-quality-java-args.txt
export DJL_OFFLINE=true
exec java -Djava.awt.headless=true -Dai.djl.offline=true -Dlogback.configurationFile=bench/logback-bench.xml \
    @target/bench-quality-java-args.txt io.brandscan.bench.ImageQualityBench "$@"
