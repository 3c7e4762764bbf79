"""Turns bench/registry.sh's raw wrk results into the markdown table (medians of the rounds)."""
import os
import re
import statistics
import subprocess

def fields(text):
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", text)}

runs = {}
with open(os.environ["RAW"]) as raw:
    for line in raw:
        label, result = line.rstrip("\n").split("\t")
        runs.setdefault(label, []).append(fields(result))

def med(label, key):
    return statistics.median(r[key] for r in runs[label])

def gc_pauses(path="target/bench-registry-gc.log"):
    try:
        with open(path) as log:
            if os.environ["GC"] == "ZGC":  # concurrent collector: -Xlog:gc lists cycles, its pauses are sub-ms
                return f"{log.read().count('Garbage Collection (')} ZGC cycles (concurrent)"
            ms = [float(m) for m in re.findall(r"Pause[^\n]*?([0-9.]+)ms\n", log.read())]
        return f"{len(ms)} pauses, {sum(ms):.0f} ms total, max {max(ms, default=0):.1f} ms"
    except OSError:
        return "n/a"

def mark(ok):
    return "PASS" if ok else "FAIL"

heap = fields(os.environ["HEAP_RESULT"])
rounds, duration = os.environ["ROUNDS"], os.environ["DURATION"]
rows = []
for name, measured, base, tgoal in (("(a) /submit, 16 floats vs GET /health", "small", "health", 0.7),
                                    ("(b) /submit, 1280 floats vs bare body server", "large", "bare", 0.5)):
    m_rps, b_rps = med(measured, "rps"), med(base, "rps")
    m_p99, b_p99 = med(measured, "p99_us") / 1000, med(base, "p99_us") / 1000
    rows.append(f"| {name}: throughput | {m_rps:,.0f} req/s | {b_rps:,.0f} req/s | {m_rps / b_rps:.2f} | >= {tgoal} | {mark(m_rps / b_rps >= tgoal)} |")
    rows.append(f"| {name}: p99 latency | {m_p99:.2f} ms | {b_p99:.2f} ms | {m_p99 / b_p99:.2f} | <= 2.0 | {mark(m_p99 / b_p99 <= 2.0)} |")
ratio = heap["ratio"]
rows.append(f"| (c) heap bytes per stored result (N={int(heap['n']):,}, 1280 floats, ~60-char url) "
            f"| {heap['measured_bytes']:,.0f} B | {heap['raw_bytes']:,.0f} B (floats*4 + url) | {ratio:.2f} | <= 1.5 | {mark(ratio <= 1.5)} |")
rows.append(f"| (c) registry's own estimate (`bytes()`/N) vs measured | {heap['estimate_bytes']:,.0f} B | {heap['measured_bytes']:,.0f} B | {heap['estimate_ratio']:.2f} | (info) | |")

per_round = []
for label in ("health", "small", "bare", "large"):
    per_round.append(f"| {label} | " + ", ".join(f"{r['rps']:,.0f}" for r in runs[label]) + " | "
                     + ", ".join(f"{r['p99_us'] / 1000:.2f}" for r in runs[label]) + " | "
                     + ", ".join(f"{r['p50_us'] / 1000:.2f}" for r in runs[label]) + " |")

cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
print(f"""# Registry benchmark (bench/registry.sh)

wrk, {os.environ['THREADS']} threads, {os.environ['CONNECTIONS']} keep-alive connections, {rounds} interleaved rounds of {duration} s per side (medians);
registry JVM from target/brandscan.jar, -Xmx6g, {os.environ['GC']}, http_instances={os.environ['HTTP_INSTANCES']} (the bare server: same GC, same instances); {os.cpu_count()} cores ({cpu}), shared with wrk.
Load average (1/5/15 min) before: {os.environ['LOAD_BEFORE']}, after: {os.environ['LOAD_AFTER']}.

| figure | measured | baseline | ratio | goal | result |
|---|---|---|---|---|---|
""" + "\n".join(rows) + f"""

Per round (req/s; p99 ms; p50 ms):

| run | req/s | p99 ms | p50 ms |
|---|---|---|---|
""" + "\n".join(per_round) + f"""

Registry GC during the HTTP runs: {gc_pauses()}.
""")
