#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: one VM boot, pktpath_e1000 vs the in-tree e1000 on the same
# cable, rounds alternating, then MMIO accesses per packet under mmiotrace
# (qemu/guest/bench.sh; about 15 minutes). Prints the medians and
# the ratio ours/theirs per metric; the raw numbers are kept in
# $PKTPATH_BENCH_DIR/bench-results.txt (default ~/.cache/pktpath/bench; or
# $PKTPATH_BENCH_OUT), with a plot of it next to it (.svg, qemu/plot.sh).
set -uo pipefail
. "$(dirname "$0")/common.sh"
out=${PKTPATH_BENCH_OUT:-$PKTPATH_BENCH_DIR/bench-results.txt}
mkdir -p "$(dirname "$out")"
bench_vm all bench.sh "$out" "pktpath_e1000 vs e1000" "$@"
python3 - "$out" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 5 and f[0] == "RESULT":
        runs.setdefault(f[3], {}).setdefault(f[1], []).append(float(f[4]))
print(f"{'metric':18} {'pktpath_e1000':>14} {'e1000':>10} {'ratio':>7}   (medians)")
for metric, by_drv in sorted(runs.items()):
    ours = statistics.median(by_drv.get("pktpath_e1000", [0]))
    ref = statistics.median(by_drv.get("e1000", [0]))
    ratio = ours / ref if ref else 0
    # round trips and MMIO accesses: fewer is better
    lower = metric.endswith("_us") or metric.startswith("mmio_")
    print(f"{metric:18} {ours:14.2f} {ref:10.2f} {ratio:7.2f}{'   (lower is better)' if lower else ''}")
PY
echo "raw numbers: $out"
bash "$PKTPATH_TOP/qemu/plot.sh" drv "$out" "${out%.txt}.svg" || true
