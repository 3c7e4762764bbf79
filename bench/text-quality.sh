#!/usr/bin/env bash
# Brand-name text matching quality: precision and recall of the lexical, embedding and combined
# text scores on a generated set of brand names, variants and negatives. Writes
# bench/results/text-quality.md. Offline build; not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
mkdir -p bench/results
# The classpath goes in the environment: ONNX Runtime 1.29 segfaults with a long command line.
export CLASSPATH="target/classes:$(cat target/classpath.txt)"
export DJL_OFFLINE=true
exec java -Dai.djl.offline=true bench/TextQualityBench.java "$@"
