#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-nf: one VM boot; forwarding through the router with 0, 100,
# 1000 and 10000 non-matching rules before the matching one, for
# pktpath_nf, nftables (linear rules) and nftables (one set)
# (qemu/guest/nf_bench.sh). Prints per implementation the medians and the
# ratio to its first row (0 rules); raw numbers and plot (.svg) in
# $PKTPATH_BENCH_DIR/bench-nf-results.txt
# (or $PKTPATH_BENCH_OUT).
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
bench_vm cable "$job" "$out" "$title" "$@"
python3 - "$out" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 6 and f[0] == "RESULT":
        runs.setdefault((f[1], f[4]), {}).setdefault(int(f[2]), []).append(float(f[5]))
order = {"journey-off": 0, "journey-on": 1, "journey-after": 2}
print(f"{'impl':14} {'metric':10} {'rules':>6} {'median':>10} {'vs first':>9}")
base = {}
for (impl, metric), by_n in sorted(runs.items(), key=lambda k: (order.get(k[0][0], 9), k)):
    for n in sorted(by_n):
        m = statistics.median(by_n[n])
        # pktpath_nf/nft: against the same implementation's 0 rules;
        # journey: against journey-off.
        key = metric if impl in order else (impl, metric)
        base.setdefault(key, m)
        ratio = m / base[key] if base[key] else 0
        print(f"{impl:14} {metric:10} {n:6d} {m:10.0f} {ratio:9.2f}")
PY
echo "raw numbers: $out"
bash "$PKTPATH_TOP/qemu/plot.sh" "$kind" "$out" "${out%.txt}.svg" || true
