#!/usr/bin/env bash
# Registry benchmark (issue 2): keep-alive HTTP load at 64 connections with wrk from a second
# process, against the registry run from the shaded jar as its own JVM, each measured endpoint
# interleaved with its baseline measured in the same run (medians of N rounds):
#   (a) POST /submit, small results (url, s3_path, 16 floats)  vs  GET /health of the same server
#   (b) POST /submit, 1280-float embedding                     vs  bench's BareBodyServer (reads the body, 200)
#   (c) heap bytes per stored result, in-process (RegistryHeapBench), vs raw floats + url
# Writes bench/results/registry.md and prints it. Not part of the test suite.
#
#   bench/registry.sh [--rounds 3] [--duration 10] [--warmup 10] [--http-instances 2] [--gc G1|ZGC] [--heap-n 50000]
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=3; DURATION=10; WARMUP=10; HTTP_INSTANCES=2; HEAP_N=50000
GC=ZGC; CONNECTIONS=64; THREADS=2; PORT=18181; BARE_PORT=18182; HEAP=6g
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --http-instances) HTTP_INSTANCES="$2"; shift 2 ;;
    --gc) GC="$2"; shift 2 ;;
    --heap-n) HEAP_N="$2"; shift 2 ;;
    *) echo "usage: bench/registry.sh [--rounds N] [--duration S] [--warmup S] [--http-instances N] [--gc G1|ZGC] [--heap-n N]" >&2; exit 2 ;;
  esac
done

# --- tools -----------------------------------------------------------------------------------
SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
if ! command -v wrk >/dev/null; then
  echo "installing wrk ..." >&2
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null
fi
command -v python3 >/dev/null || { echo "python3 is needed to write the results table" >&2; exit 1; }

# --- build: the shaded jar (rebuilt when missing or older than any source) and the bench classes
if [[ ! -f target/brandscan.jar ]] || [[ -n "$(find pom.xml conf registry embedding verticles -newer target/brandscan.jar -print -quit)" ]]; then
  echo "building target/brandscan.jar ..." >&2
  mvn -B -q -o package -DskipTests
fi
mvn -B -o -q org.apache.maven.plugins:maven-dependency-plugin:2.8:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -DincludeScope=runtime
mkdir -p target/bench-classes bench/results
# Long classpaths go through the CLASSPATH variable (ONNX Runtime crashes on long command lines;
# not loaded here, but the project's rule holds for every bench).
export CLASSPATH="target/bench-classes:target/classes:$(cat target/bench-classpath.txt)"
# Branches cut before main's 863c4b6 (pom: exclude s3proxy's Prometheus 1.8 jars) carry
# prometheus-metrics 1.8 text formats beside the 1.3 core Micrometer needs, and Vert.x metrics
# fail at start with NoSuchMethodError. Putting the core's own version of the prometheus jars
# first on the classpath (both JVMs) makes them win; with the fixed pom this is a no-op.
PROM_VERSION=$(tr ':' '\n' < target/bench-classpath.txt | sed -n 's#.*/prometheus-metrics-core/\([^/]*\)/.*#\1#p' | head -1)
PROM_FIRST=$(tr ':' '\n' < target/bench-classpath.txt | grep '/io/prometheus/' \
    | sed "s#/\([^/]*\)/[^/]*/\1-[^/]*\.jar\$#/\1/$PROM_VERSION/\1-$PROM_VERSION.jar#" \
    | while read -r jar; do [[ -f "$jar" ]] && echo "$jar"; done | sort -u | paste -sd: -)
export CLASSPATH="$PROM_FIRST:$CLASSPATH"
javac -d target/bench-classes bench/src/io/brandscan/bench/BareBodyServer.java \
    bench/src/io/brandscan/bench/RegistryHeapBench.java

# --- servers ---------------------------------------------------------------------------------
for p in $PORT $BARE_PORT; do
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/"; then echo "port $p is in use" >&2; exit 1; fi
done
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

case "$GC" in G1) GC_FLAG=-XX:+UseG1GC ;; ZGC) GC_FLAG=-XX:+UseZGC ;; *) echo "--gc must be G1 or ZGC" >&2; exit 2 ;; esac
JVM=(-Xms$HEAP -Xmx$HEAP $GC_FLAG -Dlogback.configurationFile=bench/logback-bench.xml)
# idle_expiry_ms is short so each round's batch is dropped (and its memory freed) while the other
# side of the pair runs; the batches' expected_count is huge so no submit ever completes one.
CONF="{\"registry\":{\"host\":\"127.0.0.1\",\"port\":$PORT,\"lease_ms\":60000,\"idle_expiry_ms\":5000,\
\"memory_budget_bytes\":4500000000,\"max_body_bytes\":1048576,\"http_instances\":$HTTP_INSTANCES}}"
CLASSPATH="$PROM_FIRST:target/brandscan.jar" java "${JVM[@]}" -Xlog:gc:file=target/bench-registry-gc.log \
    io.brandscan.launcher.Main run registry -conf "$CONF" \
    > target/bench-registry.log 2>&1 &
PIDS+=($!)
java "${JVM[@]}" io.brandscan.bench.BareBodyServer $BARE_PORT "$HTTP_INSTANCES" > target/bench-bare.log 2>&1 &
PIDS+=($!)
for i in $(seq 1 120); do
  if curl -sf -o /dev/null "http://127.0.0.1:$PORT/health" && curl -s -o /dev/null -d x "http://127.0.0.1:$BARE_PORT/"; then break; fi
  for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || i=120; done
  [[ $i -eq 120 ]] && { echo "servers did not start; see target/bench-registry.log, target/bench-bare.log" >&2; exit 1; }
  sleep 0.5
done
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

RAW=target/bench-registry-raw.tsv
: > "$RAW"
BATCH=0
start_batch() {  # a fresh batch per run: unique urls never hit over-count or duplicates
  BATCH=$((BATCH + 1)); local brand="bench-$1-$BATCH"
  curl -sf -o /dev/null -H 'Content-Type: application/json' \
      -d "{\"brand\":\"$brand\",\"expected_count\":2000000000}" "http://127.0.0.1:$PORT/start"
  echo "$brand"
}
# run <label> <seconds> <url> <script> [script args...]: one wrk run; records its RESULT line.
run() {
  local label="$1" secs="$2" url="$3" script="$4"; shift 4
  local out
  out=$(wrk -t$THREADS -c$CONNECTIONS -d${secs}s --timeout 10s -s "$script" "$url" -- "$@")
  local result; result=$(grep '^RESULT' <<<"$out" | sed 's/^RESULT //')
  echo "  $label: $result" >&2
  if ! grep -q 'non2xx=0 ' <<<"$result"; then
    echo "$out" >&2; echo "non-2xx responses in run '$label': the bench is not measuring what it should" >&2; exit 1
  fi
  [[ "$label" == warmup* ]] || echo -e "$label\t$result" >> "$RAW"
}
submit() { run "$1" "$2" "http://127.0.0.1:$PORT/submit" bench/registry/submit.lua "$(start_batch "$1")" "$3"; }
health() { run "$1" "$2" "http://127.0.0.1:$PORT/health" bench/registry/health.lua; }
bare() { run "$1" "$2" "http://127.0.0.1:$BARE_PORT/submit" bench/registry/submit.lua bare "$3"; }

echo "warm-up (${WARMUP}s each) ..." >&2
health warmup-health "$WARMUP"; submit warmup-small "$WARMUP" 16
bare warmup-bare "$WARMUP" 1280; submit warmup-large "$WARMUP" 1280
echo "(a) /submit 16 floats vs /health, $ROUNDS rounds of ${DURATION}s ..." >&2
for r in $(seq 1 "$ROUNDS"); do  # alternate which goes first, so drift in the shared machine's load cancels
  if (( r % 2 )); then health health "$DURATION"; submit small "$DURATION" 16
  else submit small "$DURATION" 16; health health "$DURATION"; fi
done
echo "(b) /submit 1280 floats vs bare body server, $ROUNDS rounds of ${DURATION}s ..." >&2
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 )); then bare bare "$DURATION" 1280; submit large "$DURATION" 1280
  else submit large "$DURATION" 1280; bare bare "$DURATION" 1280; fi
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
cleanup; PIDS=()

echo "(c) heap per stored result, N=$HEAP_N ..." >&2
HEAP_RESULT=$(java -Xmx4g -XX:+UseG1GC -Dlogback.configurationFile=bench/logback-bench.xml \
    io.brandscan.bench.RegistryHeapBench "$HEAP_N" 1280 | grep '^RESULT' | sed 's/^RESULT //')
echo "  heap: $HEAP_RESULT" >&2

export RAW HEAP_RESULT LOAD_BEFORE LOAD_AFTER HTTP_INSTANCES GC ROUNDS DURATION CONNECTIONS THREADS
python3 bench/registry/report.py > bench/results/registry.md
cat bench/results/registry.md
