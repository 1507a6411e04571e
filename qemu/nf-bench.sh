#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-nf: one VM boot; forwarding through the router with 0, 1,000,
# 10,000 and 65,536 rules of five kinds before the matching one, for
# pktpath_nf, nftables (linear rules) and nftables (one concatenated
# interval set) (qemu/guest/nf_bench.sh, about an hour). Prints per kind
# and implementation the medians, their spread and the ratio to the same
# implementation's 0-rule rate; raw numbers and plot (.svg) in
# $PKTPATH_BENCH_DIR/bench-nf-results.txt (or $PKTPATH_BENCH_OUT).
# PKTPATH_BENCH_KINDS, _RULES, _IMPLS, _ROUNDS, _SECS narrow it.
# make bench-journey (--journey): what a running journey costs, and that
# none is left after it (qemu/guest/journey_bench.sh); raw numbers in
# bench-journey-results.txt.
set -uo pipefail
. "$(dirname "$0")/common.sh"
job=nf_bench.sh name=nf kind=nf title="pktpath_nf vs nftables, forward chain"
if [ "${1:-}" = --journey ]; then
	job=journey_bench.sh name=journey kind=journey title="pktpath journey off/on/after, pktpath_e1000 cable"
	shift
fi
out=${PKTPATH_BENCH_OUT:-$PKTPATH_BENCH_DIR/bench-$name-results.txt}
mkdir -p "$(dirname "$out")"
timeout=(--timeout 1800)
[ "$name" = nf ] && timeout=(--timeout 7200)
bench_vm cable "$job" "$out" "$title" "${timeout[@]}" "$@"
if [ "$name" = journey ]; then
python3 - "$out" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 6 and f[0] == "RESULT":
        runs.setdefault((f[1], f[4]), {}).setdefault(int(f[2]), []).append(float(f[5]))
order = {"journey-off": 0, "journey-on": 1, "journey-after": 2}
print(f"{'state':14} {'metric':10} {'median':>10} {'vs off':>7}")
base = {}
for (state, metric), by_n in sorted(runs.items(), key=lambda k: (order.get(k[0][0], 9), k)):
    for n in sorted(by_n):
        m = statistics.median(by_n[n])
        base.setdefault(metric, m)
        print(f"{state:14} {metric:10} {m:10.0f} {m / base[metric] if base[metric] else 0:7.2f}")
PY
else
python3 - "$out" <<'PY'
# RESULT IMPL:KIND N ROUND METRIC VALUE; IMPL:base4/base6 hold the 0-rule
# rates of each family. A rate's ratio is the median of its METRIC_vs0
# (to the 0-rule rate measured just before it) where the run has them,
# else the medians' ratio.
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 6 and f[0] == "RESULT":
        impl, kind = f[1].split(":")
        runs.setdefault((kind, impl, f[4]), {}).setdefault(int(f[2]), []).append(float(f[5]))
rates = ("tcp_mbit", "udp64_pps", "fwd64_pps")
print(f"{'kind':9} {'impl':8} {'metric':10} {'rules':>6} {'median':>10} {'min':>9} {'max':>9} {'vs 0':>6}")
for (kind, impl, metric), by_n in sorted(runs.items()):
    if kind.startswith("base") or metric.endswith("_vs0"):
        continue
    base = None
    if metric in rates:
        b = runs.get(("base6" if kind == "ip6" else "base4", impl, metric), {}).get(0)
        base = statistics.median(b) if b else None
    paired = runs.get((kind, impl, metric.split("_")[0] + "_vs0"), {})
    for n in sorted(by_n):
        v = by_n[n]
        m = statistics.median(v)
        ratio = f"{m / base:6.2f}" if base else "     -"
        if paired.get(n):
            ratio = f"{statistics.median(paired[n]):6.2f}"
        print(f"{kind:9} {impl:8} {metric:10} {n:6d} {m:10.0f} {min(v):9.0f} {max(v):9.0f} {ratio}")
for kind in ("base4", "base6"):
    for (k, impl, metric), by_n in sorted(runs.items()):
        if k == kind:
            v = by_n[0]
            print(f"{kind:9} {impl:8} {metric:10} {0:6d} {statistics.median(v):10.0f} {min(v):9.0f} {max(v):9.0f}")
PY
fi
echo "raw numbers: $out"
bash "$PKTPATH_TOP/qemu/plot.sh" "$kind" "$out" "${out%.txt}.svg" || true
