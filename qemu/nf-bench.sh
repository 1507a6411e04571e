#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-nf: one VM boot; forwarding through the router with 0, 100,
# 1000 and 10000 non-matching rules before the matching one, for
# pktpath_nf, nftables (linear rules) and nftables (one set)
# (qemu/guest/nf_bench.sh). Prints per implementation the medians and the
# ratio to its own 0-rule rate; raw numbers in bench-nf-results.txt (or
# $PKTPATH_BENCH_OUT).
set -uo pipefail
. "$(dirname "$0")/common.sh"
out=${PKTPATH_BENCH_OUT:-$PKTPATH_TOP/bench-nf-results.txt}
log=$(mktemp)
bash "$PKTPATH_TOP/qemu/vm.sh" --topo cable --timeout 1800 --cmd /pktpath/guest/nf_bench.sh "$@" | tee "$log"
{
	echo "# pktpath_nf vs nftables, forward chain, $(date -u +%F), $(nproc) host cores, TCG"
	grep '^RESULT ' "$log"
} >"$out"
rm -f "$log"
echo
python3 - "$out" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 6 and f[0] == "RESULT":
        runs.setdefault((f[1], f[4]), {}).setdefault(int(f[2]), []).append(float(f[5]))
print(f"{'impl':8} {'metric':10} {'rules':>6} {'median':>10} {'vs 0 rules':>10}")
for (impl, metric), by_n in sorted(runs.items()):
    base = statistics.median(by_n.get(0, [0]))
    for n in sorted(by_n):
        m = statistics.median(by_n[n])
        ratio = m / base if base else 0
        print(f"{impl:8} {metric:10} {n:6d} {m:10.0f} {ratio:10.2f}")
PY
echo "raw numbers: $out"
